using System.Collections.Generic;
using System.Management.Automation;
using System;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using EbpfPS.Probes.Signals;

namespace EbpfPS.Commands
{
    /// <summary>Streams every signal the kernel generates as BpfSignalEvent objects.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfSignalEvent")]
    [OutputType(typeof(BpfSignalEvent))]
    public sealed class GetBpfSignalEventCommand : BpfProbeCommand<BpfSignalEvent>
    {
        /// <summary>Signals to trace: names (SIGKILL), short names (KILL) or numbers (9).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SignalCompleter))]
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

        protected override string Activity => "Tracing signals";

        private SignalFilter _filter = new();

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            var signals = new List<int>();
            foreach (var text in Signal ?? Array.Empty<string>())
            {
                if (!SignalNames.TryParse(text, out int number))
                    ThrowTerminatingError(BpfErrors.InvalidParameter(BpfErrorIds.UnknownSignal,
                        $"'{text}' is not a Linux signal.",
                        "Give a name (SIGTERM or TERM), a number from 1 to 64, or SIGRTMIN+n / SIGRTMAX-n; `kill -l` lists them.", text));
                signals.Add(number);
            }
            _filter = new SignalFilter
            {
                Signals = signals,
                SenderProcessIds = ProcessId ?? Array.Empty<int>(),
                TargetProcessIds = TargetProcessId ?? Array.Empty<int>(),
                FailedOnly = FailedOnly,
            };
        }

        private protected override IEventSource<BpfSignalEvent> OpenSource() => new SignalProbe(_filter, delivery: Delivery, progress: Opening);
    }
}
