using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using System;
using EbpfPS.Core.Pipeline;
using EbpfPS.Interop;

namespace EbpfPS.Core.TraceFs
{
    /// <summary>Turns the times of trace lines into wall-clock time. The trace clock in force (the bracketed
    /// name in tracefs's trace_clock) is left as it is, since changing it would clear the trace buffer for
    /// everyone. The default, "local", is the CPU's sched_clock, which drifts from CLOCK_REALTIME (tens of
    /// ppm on a VM), so the offset between them is measured from the "now ts:" line of per_cpu/cpuN/stats,
    /// which prints the trace clock's current time, and measured again every <see cref="RecalibrateEvery"/>.</summary>
    internal sealed partial class TraceClock
    {
        internal static readonly TimeSpan RecalibrateEvery = TimeSpan.FromSeconds(10);
        private const int Samples = 3;

        [GeneratedRegex(@"\[(?<name>[^\]]+)\]")]
        private static partial Regex Selected();

        [GeneratedRegex(@"^now ts:\s*(?<seconds>\d+)(\.(?<microseconds>\d{6}))?\s*$", RegexOptions.Multiline)]
        private static partial Regex NowLine();

        private readonly string? _statsPath;
        private readonly Stopwatch _sinceCalibration = new();
        private KernelClock? _wallClock;

        /// <param name="name">The trace clock's name, e.g. local, global, mono, boot, counter.</param>
        /// <param name="statsPath">A per_cpu/cpuN/stats file to calibrate from; null: never calibrate.</param>
        internal TraceClock(string name, string? statsPath)
        {
            Name = name;
            _statsPath = statsPath;
        }

        /// <summary>A clock whose offset to CLOCK_REALTIME is known (for tests of recorded lines).</summary>
        internal TraceClock(string name, long realtimeMinusTraceNs) : this(name, statsPath: null) =>
            _wallClock = new KernelClock(realtimeMinusTraceNs);

        internal string Name { get; }

        /// <summary>The clock of the tracefs mounted at <paramref name="traceFs"/>, calibrated now.</summary>
        internal static TraceClock Open(string traceFs)
        {
            string name = SelectedName(File.ReadAllText(Path.Combine(traceFs, "trace_clock")));
            var stats = new DirectoryInfo(Path.Combine(traceFs, "per_cpu")).Exists
                ? Path.Combine(traceFs, "per_cpu", "cpu0", "stats") : null;
            var clock = new TraceClock(name, stats is not null && File.Exists(stats) ? stats : null);
            clock.Calibrate();
            return clock;
        }

        /// <summary>"[local] global counter ..." -> local.</summary>
        internal static string SelectedName(string traceClockFile)
        {
            var match = Selected().Match(traceClockFile);
            return match.Success ? match.Groups["name"].Value : traceClockFile.Trim();
        }

        /// <summary>The trace clock's time in a stats file, in nanoseconds; null where it is a raw count.</summary>
        internal static long? NowFromStats(string stats)
        {
            var match = NowLine().Match(stats);
            if (!match.Success || !match.Groups["microseconds"].Success) return null;
            return long.Parse(match.Groups["seconds"].Value, CultureInfo.InvariantCulture) * 1_000_000_000L
                + long.Parse(match.Groups["microseconds"].Value, CultureInfo.InvariantCulture) * 1_000L;
        }

        /// <summary>The trace clock's time now, in nanoseconds as lines carry it; null where it counts no time or
        /// cannot be read.</summary>
        internal ulong? Now()
        {
            if (_statsPath is null) return null;
            try { return NowFromStats(File.ReadAllText(_statsPath)) is long now ? (ulong)now : null; }
            catch (IOException) { return null; }
        }

        /// <summary>Local wall-clock time of a line. Lines of clocks that count no time (counter, uptime,
        /// x86-tsc) get the time they were read at.</summary>
        internal DateTime ToDateTime(TraceLine line)
        {
            if (_statsPath is not null && _sinceCalibration.Elapsed >= RecalibrateEvery) Calibrate();
            if (!line.TimeInNanoseconds || _wallClock is null) return DateTime.Now;
            return _wallClock.ToDateTime(line.Time);
        }

        /// <summary>Reads the stats file between two readings of CLOCK_REALTIME a few times and keeps the
        /// tightest pair: the offset is then right to some microseconds.</summary>
        private void Calibrate()
        {
            _sinceCalibration.Restart();
            if (_statsPath is null) return;
            long bestSpan = long.MaxValue;
            for (int i = 0; i < Samples; i++)
            {
                long before = Realtime();
                string stats;
                try { stats = File.ReadAllText(_statsPath); }
                catch (IOException) { return; }
                long after = Realtime();
                if (NowFromStats(stats) is not long now) return;
                if (after - before >= bestSpan) continue;
                bestSpan = after - before;
                _wallClock = new KernelClock(before + (after - before) / 2 - now);
            }
        }

        private static long Realtime()
        {
            Libc.clock_gettime(Libc.CLOCK_REALTIME, out var time);
            return time.TotalNanoseconds;
        }
    }
}
