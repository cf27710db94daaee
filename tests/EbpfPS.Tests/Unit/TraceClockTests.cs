using System;
using EbpfPS.Core.TraceFs;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    public class TraceClockTests
    {
        [Theory]
        [InlineData("[local] global counter uptime perf mono mono_raw boot tai x86-tsc\n", "local")]
        [InlineData("local global counter uptime perf [mono] mono_raw boot tai x86-tsc\n", "mono")]
        [InlineData("local global [counter] uptime\n", "counter")]
        public void The_bracketed_clock_is_in_force(string file, string name) => Assert.Equal(name, TraceClock.SelectedName(file));

        [Fact]
        public void Now_of_a_stats_file_is_read_in_nanoseconds()
        {
            const string stats = "entries: 0\noverrun: 0\ncommit overrun: 0\nbytes: 0\noldest event ts:     0.000000\nnow ts:  1125.899029\ndropped events: 0\nread events: 0\n";
            Assert.Equal(1125_899029_000L, TraceClock.NowFromStats(stats));
            Assert.Null(TraceClock.NowFromStats("oldest event ts: 0\nnow ts: 123456789\n"));
        }

        [Fact]
        public void A_line_time_becomes_wall_clock_time_by_the_measured_offset()
        {
            var epoch = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            long offset = (epoch - DateTime.UnixEpoch).Ticks * 100 - 1000_000000_000L; // trace time 1000 s is epoch
            var clock = new TraceClock("local", offset);
            var line = TraceLine.Parse("            bash-1234    [000] ...1.  1000.250000: bpf_trace_printk: x")!;

            Assert.Equal(epoch.AddMilliseconds(250).ToLocalTime(), clock.ToDateTime(line));
        }

        [Fact]
        public void A_line_of_a_counting_clock_gets_the_time_it_was_read()
        {
            var clock = new TraceClock("counter", 0);
            var line = TraceLine.Parse("            bash-1234    [000] ...1.  123456789012: bpf_trace_printk: x")!;
            var before = DateTime.Now;
            Assert.InRange(clock.ToDateTime(line), before, DateTime.Now);
        }
    }
}
