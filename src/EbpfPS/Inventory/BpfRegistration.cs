using System;

namespace EbpfPS
{
    /// <summary>A user's object registered by Register-BpfProgram: its programs, maps and links pinned under
    /// /sys/fs/bpf/ebpfps/registered/NAME, so that they stay loaded and attached without any process.</summary>
    public sealed class BpfRegistration
    {
        public string Name { get; set; } = "";
        /// <summary>The program names, in the object's order.</summary>
        public BpfList<string> Programs { get; set; } = Array.Empty<string>();
        /// <summary>Where each program is attached, as PROGRAM -> ATTACHTYPE TARGET (egress_by_port -> cgroup_inet_egress /sys/fs/cgroup/app).</summary>
        public BpfList<string> Attachments { get; set; } = Array.Empty<string>();
        public BpfList<string> Maps { get; set; } = Array.Empty<string>();
        public BpfList<uint> ProgramIds { get; set; } = Array.Empty<uint>();
        public BpfList<uint> LinkIds { get; set; } = Array.Empty<uint>();
        public BpfList<uint> MapIds { get; set; } = Array.Empty<uint>();
        /// <summary>The directory of its pins.</summary>
        public string PinPath { get; set; } = "";
    }
}
