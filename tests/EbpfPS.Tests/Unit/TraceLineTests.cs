using System.Linq;
using EbpfPS.Core.TraceFs;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>The trace_pipe line parser on Fixtures/recorded/trace_pipe.txt: lines of 6.18 (bpf_printk from
    /// printk.bpf.c on threads named "Web Content-1" and "kworker/u4:1-12", irq and sched events, the
    /// record-tgid column) and lines made in the kernel's layout for what this kernel did not show
    /// (four flag columns of kernels before 5.13, irq-info off, the counter clock, the function tracer).</summary>
    public class TraceLineTests
    {
        private static readonly string[] Lines = Recorded.Lines("trace_pipe.txt");

        private static TraceLine Line(string containing) => TraceLine.Parse(Lines.First(l => l.Contains(containing)))!;

        [Fact]
        public void A_bpf_printk_line_gives_every_column()
        {
            var line = Line("Web Content-1-17742");

            Assert.Equal("Web Content-1", line.Command);
            Assert.Equal(17742, line.ThreadId);
            Assert.Null(line.ThreadGroupId);
            Assert.Equal(1, line.Cpu);
            Assert.Equal("...21", line.Flags);
            Assert.True(line.TimeInNanoseconds);
            Assert.Equal(1562_151617_000UL, line.Time);
            Assert.Equal("bpf_trace_printk", line.Event);
            Assert.True(line.IsBpfPrintk);
            Assert.Equal("ebpfps-printk marker=4242 pid=17721", line.Message);
        }

        [Theory]
        [InlineData("kworker/u4:1-12-17743", "kworker/u4:1-12", 17743)]
        [InlineData("<...>-17739", "<...>", 17739)]
        [InlineData("<idle>-0       [001] dNh1.", "<idle>", 0)]
        [InlineData("rcu_preempt-15", "rcu_preempt", 15)]
        public void Task_names_keep_their_dashes_and_spaces(string containing, string command, int thread)
        {
            var line = Line(containing);
            Assert.Equal(command, line.Command);
            Assert.Equal(thread, line.ThreadId);
        }

        [Fact]
        public void The_record_tgid_column_gives_the_process()
        {
            var line = Line("bash-17338");
            Assert.Equal(17338, line.ThreadGroupId);
            Assert.Equal(0, line.Cpu);
            Assert.Equal("sched_switch", line.Event);
            Assert.StartsWith("prev_comm=bash prev_pid=17338", line.Message);

            var unknown = Line("tgid unknown");
            Assert.Null(unknown.ThreadGroupId);
            Assert.Equal(999, unknown.ThreadId);
        }

        [Theory]
        [InlineData("irq_handler_exit", "dNh1.")]
        [InlineData("softirq_entry", "..s1.")]
        [InlineData("four flag columns", "d.h1")]
        [InlineData("no irq-info", "")]
        public void Flag_columns_of_any_width_or_none(string containing, string flags)
        {
            var line = Line(containing);
            Assert.Equal(flags, line.Flags);
            Assert.True(line.TimeInNanoseconds);
            Assert.NotNull(line.Event);
        }

        [Fact]
        public void A_message_with_brackets_and_colons_is_kept_whole()
        {
            var line = Line("softirq_entry");
            Assert.Equal("vec=7 [action=SCHED]", line.Message);
            Assert.Equal(1538_754654_000UL, line.Time);
        }

        [Fact]
        public void A_clock_that_counts_no_time_gives_its_raw_count()
        {
            var line = Line("counter clock");
            Assert.False(line.TimeInNanoseconds);
            Assert.Equal(123456789012UL, line.Time);
            Assert.Equal("...1.", line.Flags);
        }

        [Fact]
        public void A_function_tracer_line_has_no_event_and_keeps_its_text()
        {
            var line = Line("do_sys_openat2");
            Assert.Null(line.Event);
            Assert.False(line.IsBpfPrintk);
            Assert.Equal("do_sys_openat2 <-__x64_sys_openat", line.Message);
        }

        [Theory]
        [InlineData("second line")]
        [InlineData("")]
        [InlineData("CPU:1 [LOST 42 EVENTS]")]
        [InlineData("# tracer: nop")]
        public void Lines_without_the_header_do_not_parse(string text) => Assert.Null(TraceLine.Parse(text));

        [Fact]
        public void Lost_notices_give_their_count()
        {
            Assert.True(TraceLine.TryParseLost("CPU:1 [LOST 42 EVENTS]", out ulong lost));
            Assert.Equal(42UL, lost);
            Assert.False(TraceLine.TryParseLost(Lines[0], out _));
        }

        [Fact]
        public void Every_recorded_line_with_a_header_parses()
        {
            var headers = Lines.Where(l => l.Contains(": ") && l.Contains('[') && !l.StartsWith("CPU:"));
            Assert.All(headers, l => Assert.NotNull(TraceLine.Parse(l)));
        }
    }
}
