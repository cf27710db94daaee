using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using EbpfPS.Interop;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>-Duration against the consumer: what it has not taken when the time is up is dropped and counted.</summary>
    public class EventPumpTests
    {
        /// <summary>A backlog of numbered events handed out a slice per poll; Discard counts and drops the rest.</summary>
        private sealed class Backlog : IEventSource<int>
        {
            private int _next;
            private readonly List<int> _ready = new();
            internal Backlog(int total) => Total = total;
            internal int Total { get; }
            internal bool Completed, Discarded;

            public IReadOnlyList<int> Poll(int timeoutMs)
            {
                _ready.Clear();
                int n = Math.Min(EventReader<int>.MaxEventsPerPoll, Total - _next);
                for (int i = 0; i < n; i++) _ready.Add(_next++);
                if (n == 0) Thread.Sleep(timeoutMs);
                return _ready;
            }

            public IReadOnlyList<int> Complete()
            {
                Completed = true;
                _ready.Clear();
                while (_next < Total) _ready.Add(_next++);
                return _ready;
            }

            public long Discard()
            {
                Discarded = true;
                long left = Total - _next;
                _next = Total;
                return left;
            }

            public ulong Lost => 0;
            public IReadOnlyList<LibbpfLog.Line> Log => Array.Empty<LibbpfLog.Line>();
            public void Dispose() { }
        }

        [Fact]
        public void A_slow_consumer_ends_at_the_duration_and_the_rest_is_counted()
        {
            var source = new Backlog(100_000);
            var pump = new EventPump<int>(source, count: 0, duration: TimeSpan.FromMilliseconds(300));
            var taken = new List<int>();
            var clock = Stopwatch.StartNew();
            pump.Run(() => false, e => { taken.Add(e); Thread.Sleep(1); }, (_, _) => { });
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), "never before the duration");
            // Ended at the duration, not after the backlog (1 ms an event): most of it was dropped, not delivered.
            Assert.True(pump.Undelivered > pump.Written, $"{pump.Written} written, {pump.Undelivered} dropped");
            Assert.True(source.Discarded);
            Assert.False(source.Completed);
            Assert.Equal(taken.Count, pump.Written);
            Assert.Equal(100_000, pump.Written + pump.Undelivered);
            Assert.Equal(taken.Count - 1, taken[^1]); // in order, none skipped
        }

        [Fact]
        public void A_consumer_that_keeps_up_gets_everything()
        {
            var source = new Backlog(1000);
            var pump = new EventPump<int>(source, count: 0, duration: TimeSpan.FromMilliseconds(200));
            pump.Run(() => false, _ => { }, (_, _) => { });
            Assert.Equal(1000, pump.Written);
            Assert.Equal(0, pump.Undelivered);
            Assert.True(source.Completed);
            Assert.False(source.Discarded);
        }
    }
}
