using System;
using EbpfPS.Interop;

namespace EbpfPS.Introspection
{
    /// <summary>Turns nanoseconds since boot (CLOCK_BOOTTIME, what load_time counts) into local wall-clock time.</summary>
    internal static class BootTime
    {
        private const int ClockBoottime = 7;

        internal static DateTime ToDateTime(ulong nanosecondsSinceBoot)
        {
            Libc.clock_gettime(Libc.CLOCK_REALTIME, out var real);
            Libc.clock_gettime(ClockBoottime, out var boot);
            long unixNs = real.TotalNanoseconds - boot.TotalNanoseconds + (long)nanosecondsSinceBoot;
            return DateTime.UnixEpoch.AddTicks(unixNs / 100).ToLocalTime();
        }
    }
}
