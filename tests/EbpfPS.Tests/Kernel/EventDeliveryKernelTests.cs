using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using EbpfPS.Probes.Syscalls;
using EbpfPS.Probes;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>Batched delivery on the real kernel: getppid calls this test makes itself (the runtime makes
    /// none), traced with a filter on this process.</summary>
    public partial class EventDeliveryKernelTests : IClassFixture<KernelLeakCheck>
    {
        private static SyscallProbe Trace(EventDelivery delivery) =>
            new(Syscall.Resolve(KernelSupport.DemandTraceFs(), new[] { "getppid" }), TaskFilter.ForProcesses(new[] { Environment.ProcessId }), delivery: delivery);

        /// <summary>Waits (bounded, not asserted) until <paramref name="done"/> holds.</summary>
        private static void WaitUntil(Func<bool> done)
        {
            var clock = Stopwatch.StartNew();
            while (!done() && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(5);
        }

        [KernelFact]
        public void Records_of_every_size_read_whole_across_mapping_windows_and_the_ring_s_end()
        {
            // A 64 KB ring read through 4 KB windows: openat records of 127 to 360 bytes (six arguments and a path
            // of 14 to 247 bytes) cross window ends and wrap around the ring some 20 times.
            using var probe = new SyscallProbe(Syscall.Resolve(KernelSupport.DemandTraceFs(), new[] { "openat" }), TaskFilter.ForProcesses(new[] { Environment.ProcessId }),
                delivery: EventDelivery.Batched with { BufferBytes = 65536, RingWindowBytes = 4096 });
            probe.StartReader();
            var paths = Enumerable.Range(0, 6000).Select(i => "/nonexistent/" + new string((char)('a' + i % 26), i % 230) + i).ToList();
            var received = new List<BpfSyscallEvent>();
            for (int chunk = 0; chunk < paths.Count; chunk += 100)
            {
                foreach (var path in paths.Skip(chunk).Take(100)) open(path, 0);
                var clock = Stopwatch.StartNew(); // a chunk at a time, so that the small ring never overflows
                while (received.Count(e => ((string)e.Arguments["filename"]!).StartsWith("/nonexistent/", StringComparison.Ordinal)) < chunk + 100
                       && clock.Elapsed < TimeSpan.FromSeconds(5))
                    received.AddRange(probe.Poll(20));
            }
            received.AddRange(probe.Complete());
            Assert.Equal(0UL, probe.Lost);
            Assert.Equal(paths, received.Select(e => (string)e.Arguments["filename"]!).Where(p => p.StartsWith("/nonexistent/", StringComparison.Ordinal)));
        }

        [KernelFact]
        public void A_consumer_that_does_not_read_leaves_the_backlog_in_the_ring_and_loses_nothing()
        {
            const int generated = 5000, capacity = 100;
            using var probe = Trace(EventDelivery.Batched with { QueueCapacity = capacity });
            probe.StartReader();
            int tid = Child.gettid();
            for (int i = 0; i < generated; i++) getppid();
            WaitUntil(() => probe.Queued >= capacity);
            Thread.Sleep(50); // the reader waits for room: the rest stays in the ring, undecoded
            Assert.Equal(capacity, probe.Queued);

            var received = new List<BpfSyscallEvent>();
            received.AddRange(probe.Complete());
            Assert.Equal(0UL, probe.Lost);
            Assert.Equal(generated, received.Count);
            Assert.All(received, e => Assert.Equal(tid, e.ThreadId));
            Assert.Equal(received.OrderBy(e => e.Timestamp), received);
        }

        [KernelFact]
        public void What_overflows_a_small_ring_behind_a_full_queue_is_lost_and_counted_exactly()
        {
            const int generated = 5000, capacity = 100;
            using var probe = Trace(EventDelivery.Batched with { QueueCapacity = capacity, BufferBytes = 16384 });
            probe.StartReader();
            for (int i = 0; i < generated; i++) getppid();
            WaitUntil(() => probe.Queued >= capacity);

            var received = new List<BpfSyscallEvent>();
            received.AddRange(probe.Complete());
            Assert.InRange(received.Count, capacity, capacity + 16384 / 72); // the queue, and what the ring held (getppid: 72 bytes a record)
            Assert.Equal((ulong)generated, (ulong)received.Count + probe.Lost);
        }

        [KernelFact]
        public void Submissions_that_never_wake_user_space_are_still_delivered_by_the_drain()
        {
            // A threshold of the whole ring: every submission is BPF_RB_NO_WAKEUP, epoll never fires.
            using var probe = Trace(EventDelivery.Batched with { WakeupFraction = 1.0, DrainIntervalMs = 5 });
            int tid = Child.gettid();
            for (int i = 0; i < 3; i++) getppid();

            var received = new List<BpfSyscallEvent>();
            var clock = Stopwatch.StartNew();
            while (received.Count < 3 && clock.Elapsed < TimeSpan.FromSeconds(5)) received.AddRange(probe.Poll(50));
            Assert.Equal(3, received.Count(e => e.ThreadId == tid));
            Assert.Equal(0UL, probe.Lost);
        }

        [KernelFact]
        public void A_poll_takes_a_slice_of_the_queue_and_the_next_polls_take_the_rest_in_order()
        {
            const int slice = EventReader<BpfSyscallEvent>.MaxEventsPerPoll, generated = 2 * slice + 100;
            using var probe = Trace(EventDelivery.Batched);
            probe.StartReader();
            int tid = Child.gettid();
            for (int i = 0; i < generated; i++) getppid();
            WaitUntil(() => probe.Queued >= generated);

            var polls = new List<int>();
            var received = new List<BpfSyscallEvent>();
            do
            {
                int before = received.Count;
                received.AddRange(probe.Poll(0));
                polls.Add(received.Count - before);
            } while (polls[^1] > 0);
            Assert.Equal(new[] { slice, slice, 100, 0 }, polls);
            Assert.All(received, e => Assert.Equal(tid, e.ThreadId));
            Assert.Equal(received.OrderBy(e => e.Timestamp), received); // the slices keep the kernel's order
            Assert.Equal(0UL, probe.Lost);
        }

        [KernelFact]
        public void Every_generated_event_arrives_when_the_consumer_keeps_reading()
        {
            const int generated = 20000;
            using var probe = Trace(EventDelivery.Batched);
            var received = new List<BpfSyscallEvent>();
            received.AddRange(probe.Poll(0));
            for (int i = 0; i < generated; i++)
            {
                getppid();
                if (i % 1000 == 0) received.AddRange(probe.Poll(0));
            }
            var clock = Stopwatch.StartNew();
            while (received.Count < generated && clock.Elapsed < TimeSpan.FromSeconds(5)) received.AddRange(probe.Poll(50));
            received.AddRange(probe.Complete());
            Assert.Equal(0UL, probe.Lost);
            Assert.Equal(generated, received.Count);
            Assert.Same(received[0].Command, received[^1].Command); // decoded once
        }

        [KernelFact]
        public void Dispose_joins_the_reader_thread_and_leaves_no_program()
        {
            static int Programs(List<string> held) => held.Count(h => h.EndsWith("bpf-prog") || h.EndsWith("bpf_prog"));
            var before = KernelObjects.HeldByThisProcess();
            var probe = Trace(EventDelivery.Batched);
            probe.Poll(0);
            Assert.True(probe.ReaderRunning);
            Assert.Equal(2, Programs(KernelObjects.HeldByThisProcess()) - Programs(before));
            probe.Dispose();
            Assert.False(probe.ReaderRunning);
            Assert.Equal(before, KernelObjects.HeldByThisProcess());
        }

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial int open(string path, int flags);
        [LibraryImport("libc")] private static partial int getppid();
    }
}
