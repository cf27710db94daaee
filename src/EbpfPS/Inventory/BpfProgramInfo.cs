using System;

namespace EbpfPS
{
    /// <summary>A BPF program loaded in the kernel (by anyone), as `bpftool prog show` describes it.</summary>
    public sealed class BpfProgramInfo
    {
        public uint Id { get; set; }
        public string Name { get; set; } = "";
        /// <summary>The program type as libbpf and bpftool name it: kprobe, tracing, xdp, sched_cls...</summary>
        public string Type { get; set; } = "";
        /// <summary>Hash of the program's instructions (hex), the same for the same program on every load.</summary>
        public string Tag { get; set; } = "";
        public DateTime LoadedAt { get; set; }
        public uint OwnerUserId { get; set; }
        public BpfList<uint> MapIds { get; set; } = Array.Empty<uint>();
        /// <summary>Id of the program's BTF object; 0 when it has none.</summary>
        public uint BtfId { get; set; }
        public bool GplCompatible { get; set; }
        public bool Jited { get; set; }
        public uint TranslatedBytes { get; set; }
        public uint JitedBytes { get; set; }
        public ulong MemoryLockBytes { get; set; }
        public uint VerifiedInstructions { get; set; }
        /// <summary>Runs and run time, counted only while kernel.bpf_stats_enabled is 1.</summary>
        public ulong RunCount { get; set; }
        public TimeSpan RunTime { get; set; }
        /// <summary>RunTime in nanoseconds, as the kernel counts it (bpftool's run_time_ns); ConvertTo-Json writes a
        /// TimeSpan as an object of 15 fields.</summary>
        public ulong RunTimeNanoseconds { get; set; }
        public BpfList<string> PinnedPaths { get; set; } = Array.Empty<string>();
        /// <summary>Where its links attach it, as ATTACHTYPE TARGET (cgroup_inet_egress /sys/fs/cgroup/app, tcx_egress eth0), and
        /// where a registration attached it without a link (sk_msg_verdict map sockets, tc_egress eth0 (clsact filter ...)).</summary>
        public BpfList<string> AttachedTo { get; set; } = Array.Empty<string>();
        /// <summary>The Register-BpfProgram registration whose pin holds it, or null.</summary>
        public string? Registration { get; set; }
    }
}
