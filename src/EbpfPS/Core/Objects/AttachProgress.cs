using System;
using System.Diagnostics;
using System.Threading;

namespace EbpfPS.Core.Objects
{
    /// <summary>Cancellation and progress while a probe opens and attaches: a cmdlet's Ctrl-C cancels between
    /// two attachments (each takes about a millisecond, so thousands take seconds), and a long attach says
    /// how far it is.</summary>
    internal sealed class AttachProgress
    {
        /// <summary>No cancellation, no report.</summary>
        internal static readonly AttachProgress None = new();

        /// <summary>How often a long attach reports, at most.</summary>
        internal static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(200);

        /// <summary>Attachments from which the first is reported at once (fewer take a few milliseconds).</summary>
        internal const int ReportFrom = 20;

        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _reportedAt;

        internal CancellationToken Token { get; init; }

        /// <summary>Gets the attachments done, their total and what is attached next; on the attaching thread.</summary>
        internal Action<int, int, string>? Report { get; init; }

        /// <summary>Whether anything was reported (the caller then completes its progress bar).</summary>
        internal bool Reported { get; private set; }

        /// <summary>Throws OperationCanceledException once cancelled.</summary>
        internal void ThrowIfCancelled() => Token.ThrowIfCancellationRequested();

        /// <summary>Before attaching the next of <paramref name="total"/>: throws once cancelled, and reports the
        /// first of many (<see cref="ReportFrom"/>) and then whenever the last report is <see cref="ReportInterval"/> old.</summary>
        internal void Step(int done, int total, string next)
        {
            ThrowIfCancelled();
            if (Report is null || total < ReportFrom) return;
            if (Reported && _clock.Elapsed - _reportedAt < ReportInterval) return;
            _reportedAt = _clock.Elapsed;
            Reported = true;
            Report(done, total, next);
        }
    }
}
