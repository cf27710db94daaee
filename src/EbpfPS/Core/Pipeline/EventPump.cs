using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace EbpfPS.Core.Pipeline
{
    /// <summary>Drives an event source until a count of events, a duration or a stop request, handing each
    /// event and once a second the progress to its consumer (a cmdlet's pipeline or a background job). Lost
    /// events are reported once, with the total, when the trace ends by itself (count, duration, the source's
    /// end); while it runs, a rising total is reported at most every <see cref="LostReportInterval"/>. Short
    /// polls keep stop requests prompt. A duration holds whatever the consumer does: when it is up, what the
    /// consumer has not taken yet is dropped and counted (<see cref="Undelivered"/>) rather than handed over late.</summary>
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

        /// <summary>Events that had arrived but were dropped because the duration was up while the consumer was
        /// behind (decoded and queued, or still in the kernel's buffer).</summary>
        internal long Undelivered { get; private set; }

        /// <summary>How long after the duration the events already there may still be handed over, when the
        /// consumer has kept up; beyond it they are dropped (and counted in <see cref="Undelivered"/>).</summary>
        internal static readonly TimeSpan FinalGrace = TimeSpan.FromMilliseconds(500);

        /// <param name="stopping">Polled between batches: true ends the run at once (no final drain).</param>
        /// <param name="write">Takes one event.</param>
        /// <param name="lost">Gets the total lost and whether the trace has ended: once at the end when events
        /// were lost, and meanwhile at most every <see cref="LostReportInterval"/> while the total rises.</param>
        /// <param name="progress">With a duration: events so far and time left, about once a second.</param>
        internal void Run(Func<bool> stopping, Action<TEvent> write, Action<ulong, bool> lost, Action<long, TimeSpan>? progress = null)
        {
            _clock.Restart();
            _lostReportedAt = TimeSpan.Zero;
            Undelivered = 0;
            bool timed = _duration > TimeSpan.Zero;
            var deadline = timed ? _duration : TimeSpan.MaxValue;
            var batch = new List<TEvent>();
            var lastProgress = TimeSpan.Zero;
            bool behind = false;

            while (!stopping())
            {
                var left = deadline - _clock.Elapsed;
                if (left <= TimeSpan.Zero) break;
                batch.AddRange(_source.Poll((int)Math.Min(PollIntervalMs, Math.Ceiling(left.TotalMilliseconds))));
                // A full slice means more waits in the queue: the consumer is behind.
                behind = batch.Count >= EventReader<TEvent>.MaxEventsPerPoll;
                if (!Hand(batch, write, deadline))
                {
                    ReportLost(lost, ended: true);
                    return;
                }
                if (batch.Count > 0) // the time ran out in the middle of the batch
                {
                    behind = true;
                    break;
                }
                ReportLost(lost, ended: false);
                if (timed && progress is not null && _clock.Elapsed - lastProgress >= TimeSpan.FromSeconds(1))
                {
                    lastProgress = _clock.Elapsed;
                    progress(Written, left);
                }
            }
            if (stopping()) return;
            if (behind)
            {
                // Handing over the backlog would run past the duration by as long as the consumer takes for it
                // (up to the queue and the kernel's buffer): it is dropped and counted instead, undecoded.
                Undelivered = batch.Count + _source.Discard();
                batch.Clear();
            }
            else
            {
                batch.AddRange(_source.Complete());
                if (Hand(batch, write, timed ? deadline + FinalGrace : deadline)) Undelivered = batch.Count;
                batch.Clear();
            }
            ReportLost(lost, ended: true);
        }

        /// <summary>Hands events over from the start of the batch until the count is reached (false) or the
        /// deadline passes; what was not handed over stays in the batch.</summary>
        private bool Hand(List<TEvent> batch, Action<TEvent> write, TimeSpan deadline)
        {
            int handed = 0;
            try
            {
                bool timed = deadline != TimeSpan.MaxValue;
                foreach (var item in batch)
                {
                    if (timed && _clock.Elapsed >= deadline) return true;
                    handed++;
                    write(item);
                    if (++Written == _count) return false;
                }
                return true;
            }
            finally
            {
                if (handed == batch.Count) batch.Clear();
                else batch.RemoveRange(0, handed);
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
