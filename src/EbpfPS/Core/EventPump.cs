using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace EbpfPS.Core
{
    /// <summary>Drives an event source until a count of events, a duration or a stop request, handing each
    /// event, each rise of the lost count and once a second the progress to its consumer (a cmdlet's
    /// pipeline or a background job). Short polls keep stop requests prompt.</summary>
    internal sealed class EventPump<TEvent>
    {
        private const int PollIntervalMs = 100;

        private readonly IEventSource<TEvent> _source;
        private readonly long _count;
        private readonly TimeSpan _duration;

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

        /// <summary>Lost events reported so far.</summary>
        internal ulong Lost { get; private set; }

        /// <param name="stopping">Polled between batches: true ends the run at once (no final drain).</param>
        /// <param name="write">Takes one event.</param>
        /// <param name="lost">Gets the newly lost and the total lost whenever the total rises.</param>
        /// <param name="progress">With a duration: events so far and time left, about once a second.</param>
        internal void Run(Func<bool> stopping, Action<TEvent> write, Action<ulong, ulong> lost, Action<long, TimeSpan>? progress = null)
        {
            var clock = Stopwatch.StartNew();
            bool timed = _duration > TimeSpan.Zero;
            var batch = new List<TEvent>();
            var lastProgress = TimeSpan.Zero;

            while (!stopping())
            {
                var left = timed ? _duration - clock.Elapsed : TimeSpan.MaxValue;
                if (left <= TimeSpan.Zero) break;
                _source.Poll((int)Math.Min(PollIntervalMs, Math.Ceiling(left.TotalMilliseconds)), batch);
                if (!Hand(batch, write)) return;
                ReportLost(lost);
                if (timed && progress is not null && clock.Elapsed - lastProgress >= TimeSpan.FromSeconds(1))
                {
                    lastProgress = clock.Elapsed;
                    progress(Written, left);
                }
            }
            if (stopping()) return;
            _source.Complete(batch);
            Hand(batch, write);
            ReportLost(lost);
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

        private void ReportLost(Action<ulong, ulong> lost)
        {
            ulong total = _source.Lost;
            if (total <= Lost) return;
            lost(total - Lost, total);
            Lost = total;
        }
    }
}
