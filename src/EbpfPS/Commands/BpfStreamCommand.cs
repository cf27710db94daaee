using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System;
using EbpfPS.Core.Objects;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Commands
{
    /// <summary>What every event-streaming cmdlet shares: -Count and -Duration, stopping on Ctrl-C or a
    /// downstream stop (Select-Object -First), lost events as warnings, libbpf's log as Verbose/Debug, and
    /// detaching from the kernel on every way out.</summary>
    public abstract class BpfStreamCommand<TEvent> : PSCmdlet, IDisposable where TEvent : class
    {
        private volatile bool _stopping;
        private readonly CancellationTokenSource _cancel = new();
        private IEventSource<TEvent>? _source;
        private AttachProgress? _opening;

        /// <summary>Stop after this many events.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; }

        /// <summary>Stop after this long: seconds (5), units (500ms, 2m, 1h30m), 00:00:05 or a TimeSpan.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan Duration { get; set; }

        /// <summary>Runs the trace in the background as a PowerShell job (Receive-Job, Stop-Job, Remove-Job).</summary>
        [Parameter]
        public SwitchParameter AsJob { get; set; }

        /// <summary>Loads and attaches the probe; throws BpfException on failure.</summary>
        private protected abstract IEventSource<TEvent> OpenSource();

        /// <summary>What the progress bar says while waiting for events.</summary>
        protected abstract string Activity { get; }

        /// <summary>For <see cref="OpenSource"/> to hand to a probe that attaches many links: Ctrl-C cancels
        /// between two attachments, and a progress bar shows how far they are.</summary>
        private protected AttachProgress Opening => _opening ??= new AttachProgress
        {
            Token = _cancel.Token,
            Report = (done, total, next) => WriteProgress(new ProgressRecord(2, Activity, $"Attaching {done} of {total}: {next}")
            {
                PercentComplete = (int)(100L * done / Math.Max(1, total)),
            }),
        };

        protected override void BeginProcessing()
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Duration)) && Duration <= TimeSpan.Zero)
                ThrowTerminatingError(BpfErrors.InvalidParameter(BpfErrorIds.InvalidDuration,
                    $"The duration {Duration} is not positive.", "Give a positive time span, e.g. -Duration 30 (seconds), 2m or 00:00:30.", Duration));
        }

        protected override void EndProcessing()
        {
            try
            {
                try { _source = OpenSource(); }
                catch (BpfException e) { ThrowTerminatingError(BpfErrors.From(e)); }
                catch (OperationCanceledException) { throw new PipelineStoppedException(); } // Ctrl-C while attaching: all undone
                if (_opening is { Reported: true })
                    WriteProgress(new ProgressRecord(2, Activity, "Attached") { RecordType = ProgressRecordType.Completed });
                WriteLibbpfLog(_source!.Log);
                WriteVerbose($"{Activity}: attached, waiting for events.");
                if (AsJob) StartJob();
                else Stream(_source!);
            }
            finally
            {
                Release();
            }
        }

        /// <summary>Hands the attached source to a job: errors of loading and attaching were already reported here.</summary>
        private void StartJob()
        {
            var job = new BpfTraceJob(MyInvocation.Line, Activity, _source!, Count, Duration);
            _source = null; // the job owns it now
            JobRepository.Add(job);
            job.LossAdvice = LossAdvice;
            job.Start();
            WriteObject(job);
        }

        private void Stream(IEventSource<TEvent> source)
        {
            var progress = new ProgressRecord(1, Activity, "Waiting for events");
            var pump = new EventPump<TEvent>(source, Count, Duration);
            try
            {
                pump.Run(() => _stopping, item => WriteObject(item), (lost, ended) => WriteWarning(LostWarning(lost, ended, LossAdvice)),
                    (written, left) =>
                    {
                        progress.StatusDescription = $"{written} events, {Math.Max(0, (int)left.TotalSeconds)} s left";
                        progress.PercentComplete = (int)Math.Clamp(100 - 100 * left.Ticks / Duration.Ticks, 0, 100);
                        WriteProgress(progress);
                    });
            }
            catch (BpfException e)
            {
                ThrowTerminatingError(BpfErrors.From(e));
            }
            if (pump.Undelivered > 0) WriteWarning(UndeliveredWarning(pump.Undelivered));
            if (Duration > TimeSpan.Zero && !_stopping)
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }
        }

        /// <summary>What the lost-events warning advises: the buffer that overflowed is the cmdlet's own.</summary>
        internal abstract string LossAdvice { get; }

        /// <summary>The warning about lost events: the total at the end of a trace, or so far while it runs.</summary>
        internal static string LostWarning(ulong total, bool ended, string advice) => ended
            ? $"{total} events were lost in all: the kernel's buffer was full because events arrived faster than the pipeline read them. {advice}"
            : $"{total} events lost so far: the kernel's buffer is full because events arrive faster than the pipeline reads them. {advice}";

        /// <summary>The warning about events dropped when -Duration was up (apart from the kernel's losses).</summary>
        internal static string UndeliveredWarning(long count) =>
            $"{count} events were not delivered because the trace's time (-Duration) was up while the pipeline was still behind. Give a longer -Duration, narrow the trace with filters, or make the pipeline faster.";

        private void WriteLibbpfLog(IReadOnlyList<LibbpfLog.Line> lines)
        {
            foreach (var line in lines)
            {
                string text = "libbpf: " + line.Text.TrimEnd();
                if (line.Level == LibbpfLog.Level.Debug) WriteDebug(text);
                else WriteVerbose(text);
            }
        }

        protected override void StopProcessing()
        {
            _stopping = true;
            _cancel.Cancel();
        }

        private void Release()
        {
            _source?.Dispose();
            _source = null;
        }

        public void Dispose()
        {
            Release();
            _cancel.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
