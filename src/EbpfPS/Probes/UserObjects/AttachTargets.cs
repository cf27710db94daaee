using System;
using System.Collections.Generic;
using System.IO;
using EbpfPS.Core;
using EbpfPS.Interop;
using EbpfPS.Xdp;

namespace EbpfPS.Probes.UserObjects
{
    /// <summary>What the user named for the programs that attach to a target rather than where their section says:
    /// a cgroup v2 directory (held open while programs attach to it), a network interface and the direction of tc
    /// programs whose section does not say it, which socket map of the object its sk_msg and sk_skb programs attach to,
    /// and the CPUs and frequency of the CPU clock events that perf_event programs sample.</summary>
    internal sealed class AttachTargets : IDisposable
    {
        private FileDescriptorHandle? _cgroup;

        private AttachTargets() { }

        internal static readonly AttachTargets None = new();

        /// <summary>The full path of the cgroup, or null when none was given.</summary>
        internal string? CgroupPath { get; private init; }
        internal string? Interface { get; private init; }
        internal int InterfaceIndex { get; private init; }
        /// <summary>The inode of the network namespace whose interface <see cref="Interface"/> is (this thread's).</summary>
        internal ulong NetworkNamespace { get; private init; }

        /// <summary>The name of a sockmap or sockhash of the object, or null for its only one.</summary>
        internal string? SocketMap { get; private init; }

        /// <summary>Which way the tc programs whose section names none (SEC("tc"), SEC("classifier")) filter.</summary>
        internal BpfTcDirection? TcDirection { get; private init; }

        /// <summary>Samples a second of each CPU clock event.</summary>
        internal int Frequency { get; private init; } = CpuClockEvents.DefaultFrequency;
        /// <summary>Whether -Frequency or -Cpu was given (a warning says so when no program samples).</summary>
        internal bool SamplingGiven { get; private init; }
        /// <summary>The CPUs whose clock events perf_event programs sample (every online one unless -Cpu names some).</summary>
        internal IReadOnlyList<int> Cpus { get; private init; } = Array.Empty<int>();

        internal int CgroupFd => _cgroup?.Fd ?? -1;

        /// <summary>Checks them and opens the cgroup: a path that is no cgroup v2 directory, an interface this network
        /// namespace does not have, a CPU offline or a frequency above the kernel's limit fails here, before anything is loaded.</summary>
        internal static AttachTargets Resolve(string? cgroup, string? interfaceName, string? socketMap = null, BpfTcDirection? tcDirection = null,
            int? frequency = null, IReadOnlyCollection<int>? cpus = null)
        {
            string? path = cgroup is null ? null : TaskFilter.ResolveCgroup(cgroup, File.ReadLines("/proc/self/mountinfo"));
            var targets = new AttachTargets
            {
                CgroupPath = path,
                Interface = interfaceName,
                InterfaceIndex = interfaceName is null ? 0 : Interfaces.DemandIndex(interfaceName),
                NetworkNamespace = interfaceName is null ? 0 : Interfaces.NetworkNamespace(),
                SocketMap = socketMap,
                TcDirection = tcDirection,
                Frequency = frequency ?? CpuClockEvents.DefaultFrequency,
                SamplingGiven = frequency is not null || cpus is not null,
                Cpus = CpuClockEvents.Demand(frequency ?? CpuClockEvents.DefaultFrequency, cpus ?? Array.Empty<int>()),
            };
            if (path is not null)
            {
                int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
                if (fd < 0) throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.AttachFailed, $"Opening the cgroup {path} failed");
                targets._cgroup = new FileDescriptorHandle(fd);
            }
            return targets;
        }

        public void Dispose() => _cgroup?.Dispose();
    }
}
