using System;
using System.Collections.Generic;
using EbpfPS.Core.Objects;
using EbpfPS.Interop;

namespace EbpfPS.Core.Symbols
{
    /// <summary>The stacks in an object's stack trace map (bpf/stacks.h's `stacks`), named: each kernel stack once by its
    /// id, each user stack once per process and id (the same addresses are other functions in another process). An id
    /// keeps its stack for the object's life (no stack replaces another in its bucket), so what is named is kept.</summary>
    internal sealed unsafe class StackTable
    {
        private readonly BpfMap _stacks;
        private readonly Symbolizer _symbols;
        private readonly Dictionary<int, BpfStackFrame[]> _kernel = new();
        private readonly Dictionary<(int Pid, int Id), BpfStackFrame[]> _user = new();

        internal StackTable(BpfMap stacks, Symbolizer? symbols = null)
        {
            _stacks = stacks;
            _symbols = symbols ?? new Symbolizer();
        }

        /// <summary>The table for records that take the stacks of <paramref name="kinds"/>. Kernel symbols are read at once,
        /// before events come, so that naming the first kernel stack does not outlast a short-lived process whose user
        /// stack is still to be named.</summary>
        internal static StackTable For(BpfMap stacks, BpfStackKind kinds)
        {
            var symbols = new Symbolizer();
            if (kinds.HasFlag(BpfStackKind.Kernel)) symbols.LoadKernelSymbols();
            return new StackTable(stacks, symbols);
        }

        /// <summary>The kernel stack of id <paramref name="id"/>, innermost frame first; none for a negative id (not asked
        /// for, or lost: see <see cref="Lost"/>).</summary>
        internal BpfStackFrame[] Kernel(int id)
        {
            if (id < 0) return Array.Empty<BpfStackFrame>();
            if (!_kernel.TryGetValue(id, out var frames)) _kernel[id] = frames = _symbols.KernelStack(Addresses(id));
            return frames;
        }

        /// <summary>The user stack of id <paramref name="id"/> in process <paramref name="pid"/>, innermost frame first.</summary>
        internal BpfStackFrame[] User(int pid, int id)
        {
            if (id < 0) return Array.Empty<BpfStackFrame>();
            if (!_user.TryGetValue((pid, id), out var frames)) _user[(pid, id)] = frames = _symbols.UserStack(pid, Addresses(id));
            return frames;
        }

        /// <summary>Whether a stack id says its stack was taken but not kept: its bucket held another stack (-EEXIST).</summary>
        internal static bool Lost(int id) => id == -Errno.EEXIST;

        /// <summary>A stack by id: the map's value of STACK_DEPTH addresses, innermost first, zeros after the last.</summary>
        private ulong[] Addresses(int id)
        {
            var addresses = new ulong[(int)(_stacks.ValueSize / sizeof(ulong))];
            uint key = (uint)id;
            fixed (ulong* a = addresses)
                if (Libbpf.bpf_map_lookup_elem(_stacks.Fd, &key, a) != 0)
                    return Array.Empty<ulong>();
            return addresses;
        }
    }
}
