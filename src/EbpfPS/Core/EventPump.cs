using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace EbpfPS.Core
{
    /// <summary>Drives an event source until a count of events, a duration or a stop request, handing each
    /// event and once a second the progress to its consumer (a cmdlet's pipeline or a background job). Lost
    /// events are reported once, with the total, when the trace ends by itself (count, duration, the source's
    /// end); while it runs, a rising total is reported at most every <see cref="LostReportInterval"/>. Short
    /// polls keep stop requests prompt.</summary>
    internal sealed class EventPump<TEvent>
    {
        private const int PollIntervalMs = 100;

        /// <summary>How often a long trace tells that it is losing events, at most.</summary>
        internal static readonly TimeSpan LostReportInterval = TimeSpan.FromSeconds(10);

        private readonly IEventSource<TEvent> _source;
        private readonly long _count;
        private readonly TimeSpan _duration;
        private readonly Stopwatch _clock = new();
        private TimeSpan _lostReportedAt;

        /// <param name="count">Events to hand over before stopping; 0 for no limit.</param>
        /// <param name="duration">How long to run; zero for no limit.</param>
        internal EventPump(IEventSource<TEvent> source, long count, TimeSpan duration)
        {
            _source = source;
            _count = count;
            _duration = duration;
        }

        /// <summary>Events handed over so far.</summary>
        internal long Written { get; private set; }

        /// <summary>Lost events so far, as last read from the source.</summary>
        internal ulong Lost { get; private set; }

        /// <param name="stopping">Polled between batches: true ends the run at once (no final drain).</param>
        /// <param name="write">Takes one event.</param>
        /// <param name="lost">Gets the total lost and whether the trace has ended: once at the end when events
        /// were lost, and meanwhile at most every <see cref="LostReportInterval"/> while the total rises.</param>
        /// <param name="progress">With a duration: events so far and time left, about once a second.</param>
        internal void Run(Func<bool> stopping, Action<TEvent> write, Action<ulong, bool> lost, Action<long, TimeSpan>? progress = null)
        {
            _clock.Restart();
            _lostReportedAt = TimeSpan.Zero;
            bool timed = _duration > TimeSpan.Zero;
            var batch = new List<TEvent>();
            var lastProgress = TimeSpan.Zero;

            while (!stopping())
            {
                var left = timed ? _duration - _clock.Elapsed : TimeSpan.MaxValue;
                if (left <= TimeSpan.Zero) break;
                _source.Poll((int)Math.Min(PollIntervalMs, Math.Ceiling(left.TotalMilliseconds)), batch);
                if (!Hand(batch, write))
                {
                    ReportLost(lost, ended: true);
                    return;
                }
                ReportLost(lost, ended: false);
                if (timed && progress is not null && _clock.Elapsed - lastProgress >= TimeSpan.FromSeconds(1))
                {
                    lastProgress = _clock.Elapsed;
                    progress(Written, left);
                }
            }
            if (stopping()) return;
            _source.Complete(batch);
            Hand(batch, write);
            ReportLost(lost, ended: true);
        }

        /// <summary>Hands a batch over; false once the count is reached.</summary>
        private bool Hand(List<TEvent> batch, Action<TEvent> write)
        {
            try
            {
                foreach (var item in batch)
                {
                    write(item);
                    if (++Written == _count) return false;
                }
                return true;
            }
            finally
            {
                batch.Clear();
            }
        }

        private void ReportLost(Action<ulong, bool> lost, bool ended)
        {
            ulong total = _source.Lost;
            bool rose = total > Lost;
            Lost = total;
            if (ended)
            {
                if (total > 0) lost(total, true);
            }
            else if (rose && _clock.Elapsed - _lostReportedAt >= LostReportInterval)
            {
                _lostReportedAt = _clock.Elapsed;
                lost(total, false);
            }
        }
    }
}
