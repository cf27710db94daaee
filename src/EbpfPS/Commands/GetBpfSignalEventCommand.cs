using System;
using System.Management.Automation;

namespace EbpfPS.Commands
{
    /// <summary>Streams every signal the kernel generates as BpfSignalEvent objects.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfSignalEvent")]
    [OutputType(typeof(BpfSignalEvent))]
    public sealed class GetBpfSignalEventCommand : PSCmdlet, IDisposable
    {
        /// <summary>Signals to trace: names (SIGKILL), short names (KILL) or numbers (9).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string[]? Signal { get; set; }

        /// <summary>Only signals sent by these processes.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateRange(1, int.MaxValue)]
        public int[]? ProcessId { get; set; }

        /// <summary>Only signals sent to these processes.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateRange(1, int.MaxValue)]
        public int[]? TargetProcessId { get; set; }

        /// <summary>Only signals the kernel did not queue: ignored, already pending, queue overflow.</summary>
        [Parameter]
        public SwitchParameter FailedOnly { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; }

        [Parameter]
        public TimeSpan Duration { get; set; }

        public void Dispose() { }
    }
}
