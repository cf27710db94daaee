using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using EbpfPS.Core.Objects;
using EbpfPS.Interop;

namespace EbpfPS.Core.Symbols
{
    /// <summary>The stacks in an object's stack trace maps (bpf/stacks.h's `stacks` and `user_stacks`), named: each kernel
    /// stack once by its id, each user stack once per process and id (a frame the kernel took by address is another
    /// function in another process). An id keeps its stack for the object's life (no stack replaces another in its
    /// bucket), so what is named is kept.</summary>
    internal sealed unsafe class StackTable
    {
        /// <summary>The size of struct bpf_stack_build_id: status (s32), build_id[20], then offset or ip (u64).</summary>
        private const int BuildIdEntrySize = 32;
        private const int BuildIdValid = 1, BuildIdIp = 2;

        private readonly BpfMap _kernelStacks, _userStacks;
        private readonly Symbolizer _symbols;
        private readonly Dictionary<int, BpfStack> _kernel = new();
        private readonly Dictionary<(int Pid, int Id), BpfStack> _user = new();

        internal StackTable(BpfMap kernelStacks, BpfMap userStacks, Symbolizer? symbols = null)
        {
            _kernelStacks = kernelStacks;
            _userStacks = userStacks;
            _symbols = symbols ?? new Symbolizer();
        }

        /// <summary>The table for records that take the stacks of <paramref name="kinds"/>. Kernel symbols are read at once,
        /// before events come, so that naming the first kernel stack does not outlast a short-lived process whose user
        /// stack is still to be named.</summary>
        internal static StackTable For(BpfMap kernelStacks, BpfMap userStacks, BpfStackKind kinds)
        {
            var symbols = new Symbolizer();
            if (kinds.HasFlag(BpfStackKind.Kernel)) symbols.LoadKernelSymbols();
            return new StackTable(kernelStacks, userStacks, symbols);
        }

        /// <summary>The kernel stack of id <paramref name="id"/>, innermost frame first; none for a negative id (not asked
        /// for, or lost: see <see cref="Lost"/>).</summary>
        internal BpfStack Kernel(int id)
        {
            if (id < 0) return BpfStack.None;
            if (!_kernel.TryGetValue(id, out var frames))
            {
                var value = Value(_kernelStacks, id);
                var addresses = MemoryMarshal.Cast<byte, ulong>(value);
                _kernel[id] = frames = new BpfStack(_symbols.KernelStack(addresses));
            }
            return frames;
        }

        /// <summary>The user stack of id <paramref name="id"/> in process <paramref name="pid"/>, innermost frame first;
        /// <paramref name="command"/> (the thread's name) helps find the program once the process has exited.</summary>
        internal BpfStack User(int pid, int id, string? command = null)
        {
            if (id < 0) return BpfStack.None;
            if (!_user.TryGetValue((pid, id), out var frames)) _user[(pid, id)] = frames = new BpfStack(_symbols.UserStack(pid, UserEntries(Value(_userStacks, id)), command));
            return frames;
        }

        /// <summary>Whether a stack id says its stack was taken but not kept: its bucket held another stack (-EEXIST).</summary>
        internal static bool Lost(int id) => id == -Errno.EEXIST;

        /// <summary>The frames of a user stack's value: struct bpf_stack_build_id each, up to the first empty one.</summary>
        internal static List<UserStackEntry> UserEntries(ReadOnlySpan<byte> value)
        {
            var entries = new List<UserStackEntry>();
            for (int at = 0; at + BuildIdEntrySize <= value.Length; at += BuildIdEntrySize)
            {
                var entry = value.Slice(at, BuildIdEntrySize);
                int status = BinaryPrimitives.ReadInt32LittleEndian(entry);
                ulong offsetOrAddress = BinaryPrimitives.ReadUInt64LittleEndian(entry[24..]);
                if (status == BuildIdValid) entries.Add(new UserStackEntry(BuildIds.Text(entry.Slice(4, BuildIds.Size)), offsetOrAddress));
                else if (status == BuildIdIp && offsetOrAddress != 0) entries.Add(new UserStackEntry(null, offsetOrAddress));
                else break;
            }
            return entries;
        }

        /// <summary>A stack's value by id (its frames innermost first, zeros after the last); empty when the id has none.</summary>
        private static byte[] Value(BpfMap stacks, int id)
        {
            var value = new byte[stacks.ValueSize];
            uint key = (uint)id;
            fixed (byte* v = value)
                if (Libbpf.bpf_map_lookup_elem(stacks.Fd, &key, v) != 0)
                    return Array.Empty<byte>();
            return value;
        }
    }
}
