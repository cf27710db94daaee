using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using EbpfPS.Probes.Signals;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>The signal probe on this machine's kernel: each test sends the signals itself and
    /// asserts on exactly those events.</summary>
    public class SignalProbeTests : IClassFixture<KernelLeakCheck>
    {
        private const int SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12, SIGTERM = 15, SIGRTMIN2 = 36;
        private static readonly int Self = Environment.ProcessId;

        private static SignalProbe Trace(Child target, params int[] signals) =>
            new(new SignalFilter { TargetProcessIds = new[] { target.Pid }, Signals = signals });

        /// <summary>Polls until <paramref name="count"/> events arrived (or 5 s passed), then briefly more
        /// so that an unexpected extra event would be seen too.</summary>
        private static List<BpfSignalEvent> Collect(SignalProbe probe, int count)
        {
            var events = new List<BpfSignalEvent>();
            var clock = Stopwatch.StartNew();
            while (events.Count < count && clock.Elapsed < TimeSpan.FromSeconds(5)) events.AddRange(probe.Poll(50));
            events.AddRange(probe.Poll(200));
            return events;
        }

        [KernelFact]
        public void Sigterm_to_a_child_is_reported_once_with_sender_target_and_delivery()
        {
            using var child = Child.Bash("exec sleep 30", "sleep");
            using var probe = Trace(child);
            child.Signal(SIGTERM);

            var e = Assert.Single(Collect(probe, 1));
            Assert.Equal(SIGTERM, e.Signal);
            Assert.Equal("SIGTERM", e.SignalName);
            Assert.Equal(Self, e.SenderProcessId);
            Assert.Equal(Child.gettid(), e.SenderThreadId);
            Assert.Contains("EbpfPS.Tests", e.SenderCommandLine);
            Assert.Equal(child.Pid, e.TargetProcessId);
            Assert.Equal("sleep", e.TargetCommand);
            Assert.Equal("Delivered", e.ResultName);
            Assert.Equal("SI_USER", e.CodeName);
            Assert.NotNull(e.DeliveredAt);
            Assert.True(e.DeliveryLatency >= TimeSpan.Zero && e.DeliveryLatency < TimeSpan.FromSeconds(1));
            Assert.True(Math.Abs((e.Timestamp - DateTime.Now).TotalSeconds) < 10, $"timestamp {e.Timestamp:O} is not now");
        }

        [KernelFact]
        public void Sigusr1_to_a_child_that_ignores_it_is_reported_as_ignored_and_never_delivered()
        {
            using var child = Child.Bash("trap '' USR1; exec sleep 30", "sleep");
            using var probe = Trace(child);
            child.Signal(SIGUSR1);

            var e = Assert.Single(Collect(probe, 1));
            Assert.Equal(SIGUSR1, e.Signal);
            Assert.Equal(1, e.Result);
            Assert.Equal("Ignored", e.ResultName);
            Assert.Null(e.DeliveredAt);
            Assert.True(child.WaitForExit(TimeSpan.Zero) == false, "an ignored SIGUSR1 must not end the child");
        }

        [KernelFact]
        public void Sigkill_is_reported_and_delivered()
        {
            using var child = Child.Bash("exec sleep 30", "sleep");
            using var probe = Trace(child);
            child.Signal(SIGKILL);

            var e = Assert.Single(Collect(probe, 1));
            Assert.Equal("SIGKILL", e.SignalName);
            Assert.Equal(child.Pid, e.TargetProcessId);
            Assert.NotNull(e.DeliveredAt);
            Assert.True(child.WaitForExit(TimeSpan.FromSeconds(5)));
        }

        [KernelFact]
        public void A_queued_real_time_signal_carries_its_value_and_code()
        {
            using var child = Child.Bash("trap 'exit 0' RTMIN+2; while :; do sleep 0.05; done", "bash");
            child.WaitForSignalMask("SigCgt", SIGRTMIN2);
            using var probe = Trace(child, SIGRTMIN2);
            child.Queue(SIGRTMIN2, 4242);

            var e = Assert.Single(Collect(probe, 1));
            Assert.Equal("SIGRTMIN+2", e.SignalName);
            Assert.Equal("SI_QUEUE", e.CodeName);
            Assert.Equal(4242, e.Value);
            Assert.NotNull(e.DeliveredAt);
        }

        [KernelFact]
        public void A_blocked_signal_of_a_process_that_dies_is_reported_undelivered_when_it_exits()
        {
            using var child = Child.Bash(
                "exec python3 -c 'import signal, sys, time; signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2]); sys.stdin.readline(); time.sleep(30)'",
                "python3");
            child.WaitForSignalMask("SigBlk", SIGUSR2);
            using var probe = Trace(child);
            child.Signal(SIGUSR2);
            probe.Poll(100); // nothing yet: USR2 stays pending
            child.Signal(SIGKILL);

            var events = Collect(probe, 2);
            var usr2 = Assert.Single(events, e => e.Signal == SIGUSR2);
            Assert.Equal("Delivered", usr2.ResultName); // queued...
            Assert.Null(usr2.DeliveredAt);              // ...but never taken
            Assert.NotNull(Assert.Single(events, e => e.Signal == SIGKILL).DeliveredAt);
            Assert.Equal(2, events.Count);
        }

        [KernelFact]
        public void Filters_run_in_the_kernel_signal_sender_and_failed_only()
        {
            using var child = Child.Bash("trap '' USR1 USR2; exec sleep 30", "sleep");
            using var onlyUsr2 = Trace(child, SIGUSR2);
            using var otherSender = new SignalProbe(new SignalFilter { TargetProcessIds = new[] { child.Pid }, SenderProcessIds = new[] { 1 } });
            using var thisSender = new SignalProbe(new SignalFilter { TargetProcessIds = new[] { child.Pid }, SenderProcessIds = new[] { Environment.ProcessId } });
            using var failedOnly = new SignalProbe(new SignalFilter { TargetProcessIds = new[] { child.Pid }, FailedOnly = true });
            child.Signal(SIGUSR1);
            child.Signal(SIGUSR2);
            child.Signal(SIGTERM);

            Assert.Equal(SIGUSR2, Assert.Single(Collect(onlyUsr2, 1)).Signal);
            Assert.Empty(Collect(otherSender, 0));
            Assert.Equal(new[] { SIGUSR1, SIGUSR2, SIGTERM }, Collect(thisSender, 3).Select(e => e.Signal).OrderBy(s => s)); // the control: this process sent them
            var failed = Collect(failedOnly, 2);
            Assert.Equal(new[] { SIGUSR1, SIGUSR2 }, failed.Select(e => e.Signal).OrderBy(s => s));
            Assert.All(failed, e => Assert.Equal("Ignored", e.ResultName));
        }

        [KernelFact]
        public void Events_that_do_not_fit_into_the_ring_buffer_are_counted_as_lost_never_dropped_silently()
        {
            const int sent = 300;
            using var child = Child.Bash("trap '' USR1; exec sleep 30", "sleep");
            using var probe = new SignalProbe(new SignalFilter { TargetProcessIds = new[] { child.Pid } }, delivery: EventDelivery.Batched with { BufferBytes = 4096 });
            for (int i = 0; i < sent; i++) child.Signal(SIGUSR1); // nobody reads meanwhile: ~11 records fit

            var received = new List<BpfSignalEvent>();
            var clock = Stopwatch.StartNew();
            while ((ulong)received.Count + probe.Lost < sent && clock.Elapsed < TimeSpan.FromSeconds(10)) received.AddRange(probe.Poll(50));
            Assert.InRange(received.Count, 1, sent - 1);
            Assert.Equal((ulong)sent, (ulong)received.Count + probe.Lost);
            Assert.All(received, e => Assert.Equal("SIGUSR1", e.SignalName));
        }

        [KernelFact]
        public void Disposing_the_probe_leaves_nothing_attached()
        {
            var before = KernelObjects.HeldByThisProcess();
            using (var child = Child.Bash("exec sleep 30", "sleep"))
            using (var probe = Trace(child))
            {
                var held = KernelObjects.HeldByThisProcess();
                Assert.Equal(3, held.Count(h => h.EndsWith("bpf-prog") || h.EndsWith("bpf_prog")) - before.Count(h => h.EndsWith("bpf-prog") || h.EndsWith("bpf_prog")));
                Assert.True(held.Count > before.Count + 3, "programs, maps and links are held while tracing");
            }
            Assert.Equal(before, KernelObjects.HeldByThisProcess());
        }
    }
}
