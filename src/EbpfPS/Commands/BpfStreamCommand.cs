using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Commands
{
    /// <summary>What every event-streaming cmdlet shares: -Count and -Duration, stopping on Ctrl-C or a
    /// downstream stop (Select-Object -First), lost events as warnings, libbpf's log as Verbose/Debug, and
    /// detaching from the kernel on every way out.</summary>
    public abstract class BpfStreamCommand<TEvent> : PSCmdlet, IDisposable
    {
        private const int PollIntervalMs = 100;
        private volatile bool _stopping;
        private IEventSource<TEvent>? _source;

        /// <summary>Stop after this many events.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; }

        /// <summary>Stop after this long.</summary>
        [Parameter]
        public TimeSpan Duration { get; set; }

        /// <summary>Loads and attaches the probe; throws BpfException on failure.</summary>
        private protected abstract IEventSource<TEvent> OpenSource();

        /// <summary>What the progress bar says while waiting for events.</summary>
        protected abstract string Activity { get; }

        protected override void BeginProcessing()
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Duration)) && Duration <= TimeSpan.Zero)
                ThrowTerminatingError(BpfErrors.InvalidParameter("InvalidDuration",
                    $"The duration {Duration} is not positive.", "Give a positive time span, e.g. -Duration 00:00:30.", Duration));
        }

        protected override void EndProcessing()
        {
            try
            {
                try { _source = OpenSource(); }
                catch (BpfException e) { ThrowTerminatingError(BpfErrors.From(e)); }
                WriteLibbpfLog(_source!.Log);
                Stream(_source!);
            }
            finally
            {
                Release();
            }
        }

        private void Stream(IEventSource<TEvent> source)
        {
            var clock = Stopwatch.StartNew();
            bool timed = Duration > TimeSpan.Zero;
            var batch = new List<TEvent>();
            long written = 0;
            ulong lostReported = 0;
            var progress = new ProgressRecord(1, Activity, "Waiting for events");
            var lastProgress = TimeSpan.Zero;

            while (!_stopping)
            {
                var left = timed ? Duration - clock.Elapsed : TimeSpan.MaxValue;
                if (left <= TimeSpan.Zero) break;
                try { source.Poll((int)Math.Min(PollIntervalMs, Math.Ceiling(left.TotalMilliseconds)), batch); }
                catch (BpfException e) { ThrowTerminatingError(BpfErrors.From(e)); }
                if (!Write(batch, ref written)) return;
                lostReported = ReportLost(source, lostReported);
                if (timed && clock.Elapsed - lastProgress >= TimeSpan.FromSeconds(1))
                {
                    lastProgress = clock.Elapsed;
                    progress.StatusDescription = $"{written} events, {Math.Max(0, (int)left.TotalSeconds)} s left";
                    progress.PercentComplete = (int)Math.Min(100, 100 * clock.Elapsed.Ticks / Duration.Ticks);
                    WriteProgress(progress);
                }
            }
            if (_stopping) return;
            source.Complete(batch);
            Write(batch, ref written);
            ReportLost(source, lostReported);
            if (timed)
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }
        }

        /// <summary>Writes a batch; false once -Count is reached.</summary>
        private bool Write(List<TEvent> batch, ref long written)
        {
            foreach (var item in batch)
            {
                WriteObject(item);
                if (++written == Count)
                {
                    batch.Clear();
                    return false;
                }
            }
            batch.Clear();
            return true;
        }

        private ulong ReportLost(IEventSource<TEvent> source, ulong reported)
        {
            ulong lost = source.Lost;
            if (lost > reported)
                WriteWarning($"{lost - reported} events were lost because the kernel's buffer was full ({lost} in all): the pipeline reads slower than events arrive. Narrow the trace with filters.");
            return lost;
        }

        private void WriteLibbpfLog(IReadOnlyList<LibbpfLog.Line> lines)
        {
            foreach (var line in lines)
            {
                string text = "libbpf: " + line.Text.TrimEnd();
                if (line.Level == LibbpfLog.Level.Debug) WriteDebug(text);
                else WriteVerbose(text);
            }
        }

        protected override void StopProcessing() => _stopping = true;

        private void Release()
        {
            _source?.Dispose();
            _source = null;
        }

        public void Dispose()
        {
            Release();
            GC.SuppressFinalize(this);
        }
    }
}
