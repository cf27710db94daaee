using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using EbpfPS.Commands;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    public class DeadlineWaitTests
    {
        /// <summary>Runs a wait on another thread: a wait that hangs fails the test after 5 s instead of hanging it.</summary>
        private static bool Finishes(Func<bool> wait, out bool result)
        {
            var task = Task.Run(wait);
            bool finished = task.Wait(TimeSpan.FromSeconds(5));
            result = finished && task.Result;
            return finished;
        }

        [Theory]
        [InlineData(0.0)]
        [InlineData(1.5)] // what WaitOne takes as -1 ms, "forever", when it is waited on
        [InlineData(2.5)]
        [InlineData(60_000.0)]
        public void A_deadline_passed_between_two_readings_of_the_clock_ends_the_wait(double pastByMs)
        {
            // The first reading is just before the deadline, every later one past it by pastByMs: a wait computed from
            // a second reading of the clock than the one checked would be WaitOne(-1) for 1.5.
            var deadline = TimeSpan.FromSeconds(3);
            int readings = 0;
            TimeSpan Elapsed() => readings++ == 0 ? deadline - TimeSpan.FromMilliseconds(0.5) : deadline + TimeSpan.FromMilliseconds(pastByMs);
            Assert.True(Finishes(() => DeadlineWait.WaitUntil(CancellationToken.None, Elapsed, deadline, () => { }), out bool reached), "the wait did not end");
            Assert.True(reached);
        }

        [Fact]
        public void Waits_to_the_deadline_ticking_in_between()
        {
            var clock = Stopwatch.StartNew();
            int ticks = 0;
            Assert.True(Finishes(() => DeadlineWait.WaitUntil(CancellationToken.None, () => clock.Elapsed, TimeSpan.FromMilliseconds(600), () => ticks++), out bool reached));
            Assert.True(reached);
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(600), $"returned after {clock.Elapsed}");
            Assert.True(ticks >= 1, "no progress while it waited"); // every 250 ms at most (fewer when a wait overran)
        }

        [Fact]
        public void Cancelling_ends_the_wait_with_false()
        {
            using var cancel = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            cancel.CancelAfter(100);
            Assert.True(Finishes(() => DeadlineWait.WaitUntil(cancel.Token, () => clock.Elapsed, TimeSpan.FromHours(1), () => { }), out bool reached));
            Assert.False(reached);
        }
    }
}
