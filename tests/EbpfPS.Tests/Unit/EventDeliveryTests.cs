using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using EbpfPS.Core;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>The bounded queue between the reader thread and the consumer, and the comm string cache.</summary>
    public class EventDeliveryTests
    {
        [Fact]
        public void A_full_queue_counts_what_did_not_fit_and_keeps_the_oldest()
        {
            var queue = new BoundedEventQueue<int>(100);
            var batch = Enumerable.Range(0, 70).ToList();
            Assert.Equal(0, queue.AddRange(batch));
            Assert.Equal(40, queue.AddRange(batch));
            Assert.Equal(70, queue.AddRange(batch));
            Assert.Equal(110, queue.Dropped);

            var taken = new List<int>();
            Assert.Equal(100, queue.TakeAll(taken, 0));
            Assert.Equal(Enumerable.Range(0, 70).Concat(Enumerable.Range(0, 30)), taken);
            Assert.Equal(3 * 70, taken.Count + queue.Dropped);
        }

        [Fact]
        public void The_queue_wraps_around_and_takes_in_order_up_to_a_maximum()
        {
            var queue = new BoundedEventQueue<int>(8);
            var taken = new List<int>();
            int next = 0;
            for (int round = 0; round < 20; round++)
            {
                queue.AddRange(Enumerable.Range(next, 5).ToList());
                next += 5;
                queue.TakeAll(taken, 0, max: 3);
                queue.TakeAll(taken, 0, max: 2);
            }
            Assert.Equal(Enumerable.Range(0, 100), taken);
            Assert.Equal(0, queue.Dropped);
            Assert.Equal(0, queue.Count);
        }

        /// <summary>One drain decodes a backlog larger than the queue: the reader queues it in parts of
        /// QueueEvery while it goes on, admits records while there is room and drops the rest undecoded.</summary>
        [Fact]
        public void A_large_drain_is_queued_in_parts_and_what_finds_no_room_is_dropped_undecoded()
        {
            const int capacity = 5000, backlog = 12000, part = EventReader<int>.QueueEvery;
            using var drained = new System.Threading.ManualResetEventSlim();
            int decoded = 0, queuedMidway = -1;
            EventReader<int>? reader = null;
            reader = new EventReader<int>(EventDelivery.Batched with { QueueCapacity = capacity }, (timeoutMs, into) =>
            {
                if (drained.IsSet) { System.Threading.Thread.Sleep(timeoutMs); return; }
                for (int record = 0; record < backlog; record++)
                {
                    if (!reader!.Admit(into)) continue;
                    into.Add(record);
                    decoded++;
                    if (decoded == part + 1) queuedMidway = reader.Queued;
                }
                drained.Set();
            });
            reader.Start();
            Assert.True(drained.Wait(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

            var events = new List<int>();
            reader.Stop(events);
            Assert.Equal(part, queuedMidway); // the first part reached the queue during the drain
            Assert.Equal(capacity, decoded);
            Assert.Equal(backlog - capacity, reader.Dropped);
            Assert.Equal(Enumerable.Range(0, capacity), events);
        }

        [Fact]
        public void A_completed_queue_does_not_wait()
        {
            var queue = new BoundedEventQueue<int>(4);
            queue.CompleteAdding();
            Assert.Equal(0, queue.TakeAll(new List<int>(), int.MaxValue)); // would hang if it waited
        }

        [Fact]
        public void The_wakeup_threshold_is_a_fraction_of_the_ring_and_zero_keeps_the_kernel_default()
        {
            Assert.Equal(1UL << 18, EventDelivery.Batched.WakeupBytes(1 << 20));
            Assert.Equal(0UL, EventDelivery.PerEvent.WakeupBytes(1 << 20));
            Assert.Equal(4096UL, new EventDelivery { WakeupFraction = 7 }.WakeupBytes(4096));
        }

        [Fact]
        public void Perf_buffers_share_the_four_mebibytes_of_a_ring_among_the_cpus_at_least_64_pages_each()
        {
            Assert.SkipUnless(Environment.SystemPageSize == 4096, "the figures are for 4 KiB pages");
            Assert.Equal(1024, PerfBuffer.DefaultPagesPerCpu(1));
            Assert.Equal(512, PerfBuffer.DefaultPagesPerCpu(2));
            Assert.Equal(256, PerfBuffer.DefaultPagesPerCpu(3)); // 341 pages, down to a power of two
            Assert.Equal(64, PerfBuffer.DefaultPagesPerCpu(16));
            Assert.Equal(64, PerfBuffer.DefaultPagesPerCpu(256));
        }

        [Fact]
        public void Comm_names_are_decoded_once_and_bytes_after_the_nul_do_not_matter()
        {
            var cache = new CommCache();
            byte[] Comm(string name, byte junk)
            {
                var b = Enumerable.Repeat(junk, 16).ToArray();
                Encoding.UTF8.GetBytes(name).CopyTo(b, 0);
                b[name.Length] = 0;
                return b;
            }
            string a = cache.Get(Comm("getppid-flood", 0));
            Assert.Equal("getppid-flood", a);
            Assert.Same(a, cache.Get(Comm("getppid-flood", 0x41)));
            Assert.Equal("getppid-flooe", cache.Get(Comm("getppid-flooe", 0)));
            Assert.Equal("bash", cache.Get(Comm("bash", 0x7f)));
            Assert.Equal("", cache.Get(new byte[16]));
            var full = Encoding.UTF8.GetBytes("abcdefghijklmnop");
            Assert.Equal("abcdefghijklmnop", cache.Get(full));
            Assert.Equal("abcdefgh", cache.Get(Comm("abcdefgh", 0x33)));
            Assert.Equal("abcdefg", cache.Get(Comm("abcdefg", 0x33)));
        }
    }
}
