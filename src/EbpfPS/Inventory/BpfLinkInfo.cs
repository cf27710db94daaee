using System;

namespace EbpfPS
{
    /// <summary>A BPF link in the kernel: a program attached to a hook, as `bpftool link show` describes it.</summary>
    public sealed class BpfLinkInfo
    {
        public uint Id { get; set; }
        /// <summary>The link type as libbpf and bpftool name it: tracing, perf_event, xdp, cgroup...</summary>
        public string Type { get; set; } = "";
        public uint ProgramId { get; set; }
        /// <summary>How it is attached (fentry, trace_raw_tp, cgroup_inet_ingress...) where the link type says.</summary>
        public string AttachType { get; set; } = "";
        /// <summary>What it is attached to: a tracepoint, function, interface, cgroup, map...</summary>
        public string Target { get; set; } = "";
        public BpfList<string> PinnedPaths { get; set; } = Array.Empty<string>();
        /// <summary>The Register-BpfProgram registration whose pin holds it, or null.</summary>
        public string? Registration { get; set; }
    }
}
