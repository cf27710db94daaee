using System;
using EbpfPS.Interop;

namespace EbpfPS.Core.Pipeline
{
    /// <summary>Turns bpf_ktime_get_ns() (CLOCK_MONOTONIC) into wall-clock time. The offset is taken
    /// once per trace, so events of one trace keep their order even if the wall clock is stepped.</summary>
    internal sealed class KernelClock
    {
        private readonly long _realtimeMinusMonotonicNs;

        internal KernelClock()
        {
            Libc.clock_gettime(Libc.CLOCK_REALTIME, out var real);
            Libc.clock_gettime(Libc.CLOCK_MONOTONIC, out var mono);
            _realtimeMinusMonotonicNs = real.TotalNanoseconds - mono.TotalNanoseconds;
        }

        internal KernelClock(long realtimeMinusMonotonicNs) => _realtimeMinusMonotonicNs = realtimeMinusMonotonicNs;

        internal static long MonotonicNow()
        {
            Libc.clock_gettime(Libc.CLOCK_MONOTONIC, out var mono);
            return mono.TotalNanoseconds;
        }

        /// <summary>Local wall-clock time of a monotonic kernel timestamp.</summary>
        internal DateTime ToDateTime(ulong monotonicNs)
        {
            long unixNs = (long)monotonicNs + _realtimeMinusMonotonicNs;
            return DateTime.UnixEpoch.AddTicks(unixNs / 100).ToLocalTime();
        }
    }
}
