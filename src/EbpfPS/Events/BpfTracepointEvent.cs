using System;
using System.Collections.Generic;
using System.Linq;
using EbpfPS.Core.TraceFs;

namespace EbpfPS
{
    /// <summary>One hit of a tracepoint. Its own fields (decoded from the tracepoint's format file) are added
    /// as properties of the output object, next to these common ones.</summary>
    public sealed class BpfTracepointEvent : ITimestamped, Probes.IStackedEvent
    {
        public BpfTracepointEvent() : this(new List<FieldValue>()) { }

        /// <summary>For the decoder: the fields it decoded, without an empty list made first.</summary>
        internal BpfTracepointEvent(List<FieldValue> fields) => Fields = fields;

        public DateTime Timestamp { get; set; }
        /// <summary>CATEGORY:NAME, e.g. sock:inet_sock_set_state.</summary>
        public string Tracepoint { get; set; } = "";
        public int ProcessId { get; set; }
        public int ThreadId { get; set; }
        public string Command { get; set; } = "";
        public int Cpu { get; set; }
        /// <summary>True when the record was longer than the probe copies; the fields past the cut are empty.</summary>
        public bool Truncated { get; set; }

        internal List<FieldValue> Fields { get; set; }

        /// <summary>With -Stack Kernel: the kernel's stack where it happened, innermost frame first; else empty.</summary>
        public BpfStack KernelStack { get; set; } = BpfStack.None;
        /// <summary>With -Stack User: the program's stack, innermost frame first; else empty.</summary>
        public BpfStack UserStack { get; set; } = BpfStack.None;
        /// <summary>Both stacks folded as flame graph tools read them, outermost function first: "main;f;getppid;entry_SYSCALL_64_[k];...;__x64_sys_getppid_[k]".</summary>
        public string Stack => BpfStack.Fold(KernelStack.Concat(UserStack));
    }
}
