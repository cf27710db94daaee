using System;
using System.Collections.Generic;

namespace EbpfPS.Probes.TraceLog
{
    /// <summary>Which trace lines Get-BpfTraceLog writes. trace_pipe has no kernel-side filter, so these
    /// run in user space on every line read.</summary>
    internal sealed record TraceLogFilter
    {
        /// <summary>Also lines of other writers than bpf_printk (trace_printk, trace_marker, enabled events).</summary>
        public bool IncludeAll { get; init; }

        /// <summary>Only lines of these processes or threads; empty: all.</summary>
        public IReadOnlySet<int> ProcessIds { get; init; } = new HashSet<int>();

        /// <summary>Also the lines that waited in the kernel's trace buffer before reading began (written before
        /// the command started); by default they are read and dropped.</summary>
        public bool IncludeBacklog { get; init; }

        /// <summary>Only messages this accepts; null: all.</summary>
        public Predicate<string>? Message { get; init; }

        internal bool Accepts(BpfTraceLogEntry entry) =>
            (IncludeAll || entry.Event == Core.TraceFs.TraceLine.BpfPrintkEvent)
            && (ProcessIds.Count == 0 || ProcessIds.Contains(entry.ProcessId) || ProcessIds.Contains(entry.ThreadId))
            && (Message is null || Message(entry.Message));
    }
}
