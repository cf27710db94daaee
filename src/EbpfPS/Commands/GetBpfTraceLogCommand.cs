using System.Collections.Generic;
using System.Management.Automation;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using EbpfPS.Probes.TraceLog;

namespace EbpfPS.Commands
{
    /// <summary>Streams the kernel's trace log (tracefs trace_pipe): bpf_printk() output as objects.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfTraceLog")]
    [OutputType(typeof(BpfTraceLogEntry))]
    public sealed class GetBpfTraceLogCommand : BpfStreamCommand<BpfTraceLogEntry>
    {
        /// <summary>Only messages that match this wildcard pattern (case-insensitive, like -like).</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string? Filter { get; set; }

        /// <summary>Only lines written while one of these processes (or threads) was running.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateRange(0, int.MaxValue)]
        public int[]? ProcessId { get; set; }

        /// <summary>Also lines that bpf_printk did not write: trace_printk, trace_marker, enabled events.</summary>
        [Parameter]
        public SwitchParameter IncludeAll { get; set; }

        /// <summary>Also the lines written before the command started that were still waiting in the kernel's
        /// trace buffer (by default they are skipped: reading trace_pipe consumes them anyway).</summary>
        [Parameter]
        public SwitchParameter IncludeBacklog { get; set; }

        protected override string Activity => "Reading the kernel trace log";

        // The buffer is tracefs's, shared by every tracer on the machine: this cmdlet has no -BufferSize.
        internal override string LossAdvice =>
            "Give the kernel's trace buffer more room (KB per CPU; it is shared by all tracing on this machine): echo 8192 > /sys/kernel/tracing/buffer_size_kb. Or make the programs print less.";

        private protected override IEventSource<BpfTraceLogEntry> OpenSource()
        {
            var pattern = Filter is null ? null : new WildcardPattern(Filter, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            var source = TraceLogSource.Open(new TraceLogFilter
            {
                IncludeAll = IncludeAll,
                IncludeBacklog = IncludeBacklog,
                ProcessIds = new HashSet<int>(ProcessId ?? System.Array.Empty<int>()),
                Message = pattern is null ? null : pattern.IsMatch,
            }, out bool tracingOn);
            if (!tracingOn)
                WriteWarning("Tracing is off (tracing_on is 0 in tracefs): the kernel writes no bpf_printk output until it is on again. Turn it on with: echo 1 > /sys/kernel/tracing/tracing_on");
            return source;
        }
    }
}
