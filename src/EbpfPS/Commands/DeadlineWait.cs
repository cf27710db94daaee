using System;
using System.Threading;

namespace EbpfPS.Commands
{
    /// <summary>Waiting out a -Duration or an -Interval while Ctrl-C can stop it.</summary>
    internal static class DeadlineWait
    {
        private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

        /// <summary>Waits until <paramref name="elapsed"/> reaches <paramref name="deadline"/>, running <paramref name="tick"/>
        /// (progress) at least every 250 ms; false when <paramref name="cancel"/> came first. The time left is read once
        /// and checked before it is waited on: read twice, it could be between -1 and -2 ms at the wait, which WaitOne
        /// takes as -1, "forever" (a Measure-BpfTrace -Duration 3 once waited 20 minutes under load).</summary>
        internal static bool WaitUntil(CancellationToken cancel, Func<TimeSpan> elapsed, TimeSpan deadline, Action tick)
        {
            while (true)
            {
                var left = deadline - elapsed();
                if (left <= TimeSpan.Zero) return true;
                if (cancel.WaitHandle.WaitOne(left < Step ? left : Step)) return false;
                tick();
            }
        }
    }
}
