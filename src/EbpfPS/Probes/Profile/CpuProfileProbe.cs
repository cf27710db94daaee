using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using EbpfPS.Bpf;
using EbpfPS.Core;
using EbpfPS.Core.Objects;
using EbpfPS.Core.Symbols;
using EbpfPS.Interop;
using EbpfPS.Introspection.Maps;

namespace EbpfPS.Probes.Profile
{
    /// <summary>What to sample: how often, whose stacks, on which CPUs.</summary>
    internal sealed record CpuProfileSettings
    {
        public int Frequency { get; init; } = CpuClockEvents.DefaultFrequency;
        /// <summary>Processes to count; empty counts all.</summary>
        public IReadOnlyCollection<int> ProcessIds { get; init; } = Array.Empty<int>();
        /// <summary>CPUs to sample; empty samples every online one.</summary>
        public IReadOnlyCollection<int> Cpus { get; init; } = Array.Empty<int>();
        public bool IncludeIdle { get; init; }
    }

    /// <summary>Samples that lost part of their stack or were not counted (bpf/profile.h's profile_losses, summed).</summary>
    internal readonly record struct CpuProfileLosses(ulong KernelCollisions, ulong UserCollisions, ulong UserMissing, ulong KeysFull)
    {
        internal ulong Total => KernelCollisions + UserCollisions + UserMissing + KeysFull;
    }

    /// <summary>bpf/profile.bpf.c attached to a CPU clock event on each CPU: the kernel counts (process, command, kernel
    /// stack, user stack) per sample; <see cref="Read"/> takes the counts once, names each unique stack once and folds
    /// stacks that differ only in offsets into one sample. Disposing it detaches every event.</summary>
    internal sealed unsafe class CpuProfileProbe : IDisposable
    {
        private readonly ProfileSkeleton _skeleton;
        private readonly StackTable _stacks;

        private CpuProfileProbe(ProfileSkeleton skeleton, IReadOnlyList<int> cpus, Symbolizer symbols)
        {
            _skeleton = skeleton;
            Cpus = cpus;
            _stacks = new StackTable(skeleton.Stacks, skeleton.UserStacks, symbols);
        }

        internal IReadOnlyList<int> Cpus { get; }

        internal static CpuProfileProbe Start(CpuProfileSettings settings, AttachProgress? progress = null, Symbolizer? symbols = null)
        {
            var cpus = CpuClockEvents.Demand(settings.Frequency, settings.Cpus);

            ProfileSkeleton skeleton;
            using (var open = new ProfileSkeleton.Open())
            {
                TaskFilter.SetPidSet(ref open.Pids, settings.ProcessIds);
                open.IncludeIdle = settings.IncludeIdle;
                skeleton = open.Load();
            }
            var probe = new CpuProfileProbe(skeleton, cpus, symbols ?? new Symbolizer());
            try
            {
                for (int i = 0; i < cpus.Count; i++)
                {
                    progress?.Step(i, cpus.Count, $"CPU {cpus[i]}");
                    CpuClockEvents.Attach(skeleton.Object, skeleton.Profile, cpus[i], settings.Frequency);
                }
                return probe;
            }
            catch
            {
                probe.Dispose();
                throw;
            }
        }

        internal ProfileSkeleton Skeleton => _skeleton;

        /// <summary>What was lost so far, summed over the CPUs.</summary>
        internal CpuProfileLosses Losses
        {
            get
            {
                int cpus = Math.Max(1, Libbpf.libbpf_num_possible_cpus());
                var values = new ProfileLosses[cpus];
                uint zero = 0;
                fixed (ProfileLosses* v = values)
                    if (Libbpf.bpf_map_lookup_elem(_skeleton.Losses.Fd, &zero, v) != 0)
                        throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.ReadFailed, "Reading the profile's lost samples failed");
                var sum = new CpuProfileLosses();
                foreach (var cpu in values)
                    sum = new CpuProfileLosses(sum.KernelCollisions + cpu.KernelCollisions, sum.UserCollisions + cpu.UserCollisions,
                        sum.UserMissing + cpu.UserMissing, sum.KeysFull + cpu.KeysFull);
                return sum;
            }
        }

        /// <summary>The samples counted so far, most counted first.</summary>
        internal List<BpfCpuProfileSample> Read()
        {
            var counted = new List<(ProfileKey Key, long Count)>();
            using (var counts = KernelMap.Borrow(_skeleton.Counts.Fd))
                foreach (var entry in MapEntries.Read(counts))
                    counted.Add((MemoryMarshal.Read<ProfileKey>(entry.Key), (long)MemoryMarshal.Read<ulong>(entry.Value)));
            long total = counted.Sum(c => c.Count);

            var samples = new Dictionary<(uint Pid, string Command, string Stack), (BpfCpuProfileSample Sample, long Best)>();
            foreach (var (key, count) in counted)
            {
                string command = Comm(key);
                var kernel = _stacks.Kernel(key.KernelStack);
                var user = _stacks.User((int)key.Pid, key.UserStack, command);
                string stack = BpfStack.Fold(kernel.Concat(user));
                var id = (key.Pid, command, stack);
                if (samples.TryGetValue(id, out var known))
                {
                    known.Sample.Count += count;
                    if (count > known.Best) // the frames of the most frequent addresses
                    {
                        (known.Sample.KernelFrames, known.Sample.UserFrames) = (kernel, user);
                        known.Best = count;
                    }
                    samples[id] = known;
                    continue;
                }
                samples[id] = (new BpfCpuProfileSample
                {
                    ProcessId = (int)key.Pid,
                    Command = command,
                    KernelFrames = kernel,
                    UserFrames = user,
                    Stack = stack,
                    Count = count,
                    Note = Note(key),
                }, count);
            }
            foreach (var (sample, _) in samples.Values)
                sample.Share = total > 0 ? (double)sample.Count / total : 0;
            return samples.Values.Select(s => s.Sample)
                .OrderByDescending(s => s.Count).ThenBy(s => s.ProcessId).ThenBy(s => s.Stack, StringComparer.Ordinal).ToList();
        }

        private static string Note(ProfileKey key) => (key.KernelStack, key.UserStack) switch
        {
            (var k, _) when StackTable.Lost(k) => "kernel stack lost (stack map collision)",
            (_, var u) when StackTable.Lost(u) => "user stack lost (stack map collision)",
            _ => "",
        };

        private static string Comm(ProfileKey key)
        {
            var bytes = new ReadOnlySpan<byte>(key.Comm, ProfileKey.CommLength);
            int end = bytes.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
        }

        public void Dispose() => _skeleton.Dispose();
    }
}
