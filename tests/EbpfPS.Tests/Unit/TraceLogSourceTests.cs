using System.Collections.Generic;
using System.Linq;
using EbpfPS.Core.TraceFs;
using EbpfPS.Probes.TraceLog;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>From recorded trace_pipe lines to the entries Get-BpfTraceLog writes.</summary>
    public class TraceLogSourceTests
    {
        private static List<BpfTraceLogEntry> Read(TraceLogFilter filter, out ulong lost)
        {
            var source = new TraceLogSource(pipe: null, new TraceClock("local", 0), filter);
            var ready = new List<BpfTraceLogEntry>();
            source.Accept(Recorded.Lines("trace_pipe.txt"), ready);
            lost = source.Lost;
            return ready;
        }

        [Fact]
        public void By_default_only_bpf_printk_lines_come_out_and_lost_notices_are_counted()
        {
            var entries = Read(new TraceLogFilter(), out ulong lost);

            Assert.All(entries, e => Assert.Equal("bpf_trace_printk", e.Event));
            Assert.Equal(new[] { "ebpfps-printk marker=4242 pid=17721", "ebpfps-printk marker=4242 pid=17721", "ebpfps-printk marker=4242 pid=17721",
                "first line\nsecond line", "four flag columns", "no irq-info", "counter clock", "tgid unknown" }, entries.Select(e => e.Message));
            Assert.Equal(42UL, lost);
        }

        [Fact]
        public void Lines_stamped_before_the_source_opened_are_dropped_with_their_continuations_unless_asked_for()
        {
            string stats = System.IO.Path.GetTempFileName();
            try
            {
                // the trace clock read 1600.000000 when reading began
                System.IO.File.WriteAllText(stats, "entries: 0\nnow ts:  1600.000000\ndropped events: 0\n");
                var clock = new TraceClock("local", stats);
                var fresh = new List<BpfTraceLogEntry>();
                new TraceLogSource(null, clock, new TraceLogFilter()).Accept(Recorded.Lines("trace_pipe.txt"), fresh);
                // 1562.x lines are the backlog; "first line\nsecond line" (1600.000001) and later stay; the counter
                // clock's line counts no time and cannot be told
                Assert.Equal(new[] { "first line\nsecond line", "four flag columns", "no irq-info", "counter clock", "tgid unknown" }, fresh.Select(e => e.Message));

                var all = new List<BpfTraceLogEntry>();
                new TraceLogSource(null, clock, new TraceLogFilter { IncludeBacklog = true }).Accept(Recorded.Lines("trace_pipe.txt"), all);
                Assert.Equal(8, all.Count);
            }
            finally { System.IO.File.Delete(stats); }
        }

        [Fact]
        public void Events_lost_before_the_source_opened_are_not_counted_as_its_losses()
        {
            string stats = System.IO.Path.GetTempFileName();
            try
            {
                System.IO.File.WriteAllText(stats, "entries: 0\nnow ts:  1600.000000\ndropped events: 0\n");
                var clock = new TraceClock("local", stats);
                string[] lines =
                {
                    "CPU:0 [LOST 17249 EVENTS]", // the buffer overran while nobody read it: before Get-BpfTraceLog began
                    "            bash-1234    [000] ...21  1562.151152: bpf_trace_printk: old",
                    "CPU:0 [LOST 5 EVENTS]",
                    "            bash-1234    [000] ...21  1600.100000: bpf_trace_printk: new",
                };
                var fresh = new TraceLogSource(null, clock, new TraceLogFilter());
                fresh.Accept(lines, new List<BpfTraceLogEntry>());
                Assert.Equal(5UL, fresh.Lost);

                var all = new TraceLogSource(null, clock, new TraceLogFilter { IncludeBacklog = true });
                all.Accept(lines, new List<BpfTraceLogEntry>());
                Assert.Equal(17254UL, all.Lost);
            }
            finally { System.IO.File.Delete(stats); }
        }

        [Fact]
        public void An_entry_carries_the_columns_in_words()
        {
            var curl = Read(new TraceLogFilter(), out _).Single(e => e.Command == "curl");

            Assert.Equal(4242, curl.ThreadId);
            Assert.Equal(1, curl.Cpu);
            Assert.Equal("d..31", curl.Flags);
            Assert.Equal("irqs-off, preempt-depth 3, migrate-disable 1", curl.FlagsDescription);
            Assert.Equal("first line\nsecond line", curl.Message);
            Assert.EndsWith("bpf_trace_printk: first line\nsecond line", curl.Line);
        }

        [Fact]
        public void IncludeAll_adds_other_writers_and_keeps_the_record_tgid_process()
        {
            var entries = Read(new TraceLogFilter { IncludeAll = true }, out _);

            Assert.Contains(entries, e => e.Event == "tracing_mark_write" && e.Message == "hello from marker");
            Assert.Contains(entries, e => e.Event == "" && e.Message == "do_sys_openat2 <-__x64_sys_openat");
            var bash = entries.Single(e => e.Event == "sched_switch" && e.Command == "bash");
            Assert.Equal(17338, bash.ProcessId);
            Assert.DoesNotContain(entries, e => e.Message.StartsWith("CPU:"));
            Assert.Equal(19 - 3, entries.Count); // every line but the continuation, the empty line and the LOST notice
        }

        [Fact]
        public void A_line_without_a_header_and_no_entry_before_it_is_passed_raw_with_IncludeAll_only()
        {
            var source = new TraceLogSource(null, new TraceClock("local", 0), new TraceLogFilter { IncludeAll = true });
            var ready = new List<BpfTraceLogEntry>();
            source.Accept(new[] { "some other tracer's layout" }, ready);
            var raw = Assert.Single(ready);
            Assert.Equal("some other tracer's layout", raw.Message);
            Assert.Equal("", raw.Event);

            var quiet = new TraceLogSource(null, new TraceClock("local", 0), new TraceLogFilter());
            ready.Clear();
            quiet.Accept(new[] { "some other tracer's layout" }, ready);
            Assert.Empty(ready);
        }

        [Fact]
        public void Process_and_message_filters_apply_to_thread_or_process_and_the_whole_message()
        {
            var byThread = Read(new TraceLogFilter { ProcessIds = new HashSet<int> { 4242 } }, out _);
            Assert.Equal("first line\nsecond line", Assert.Single(byThread).Message);

            var byMessage = Read(new TraceLogFilter { Message = m => m.Contains("second") }, out _);
            Assert.Equal("curl", Assert.Single(byMessage).Command);

            Assert.Empty(Read(new TraceLogFilter { ProcessIds = new HashSet<int> { 17338 } }, out _)); // a sched_switch line only
        }
    }
}
