using System.Collections.Generic;
using System.Linq;
using System.Text;
using System;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>The queue between the reader thread and the consumer, the reader's backpressure, and the comm string cache.</summary>
    public class EventDeliveryTests
    {
        [Fact]
        public void The_queue_keeps_a_batch_that_carries_it_past_its_capacity_and_has_no_room_then()
        {
            var queue = new EventQueue<int>(100);
            var batch = Enumerable.Range(0, 70).ToList();
            queue.AddRange(batch);
            Assert.Equal(30, queue.Room);
            queue.AddRange(batch);
            Assert.Equal(0, queue.Room);
            Assert.Equal(140, queue.Count);

            var taken = new List<int>();
            Assert.Equal(140, queue.TakeAll(taken, 0));
            Assert.Equal(Enumerable.Range(0, 70).Concat(Enumerable.Range(0, 70)), taken);
            Assert.Equal(100, queue.Room);
        }

        [Fact]
        public void The_queue_wraps_around_and_takes_in_order_up_to_a_maximum()
        {
            var queue = new EventQueue<int>(8);
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
            Assert.Equal(0, queue.Count);
        }

        /// <summary>A backlog larger than the queue: the drain queues it in parts of QueueEvery while it goes
        /// on, stops taking records when the queue is full (they stay with the buffer), and the reader waits
        /// for the consumer; every record arrives, in order, and the queue never holds more than its capacity.</summary>
        [Fact]
        public void A_backlog_larger_than_the_queue_waits_in_the_buffer_and_arrives_whole_and_in_order()
        {
            const int capacity = 5000, backlog = 12000, part = EventReader<int>.QueueEvery;
            var decoder = new Numbers();
            var reader = new EventReader<int>(EventDelivery.Batched with { QueueCapacity = capacity }, decoder);
            reader.Add(handler => new Backlog(handler, backlog));
            decoder.Decoded = (n, into) =>
            {
                if (n == part) decoder.QueuedMidway = reader.Queued;
                decoder.MostQueued = Math.Max(decoder.MostQueued, reader.Queued + into.Count);
            };

            var events = new List<int>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            events.AddRange(reader.Poll(0)); // starts the reader
            // the consumer is busy: the reader fills the queue (however long a loaded machine takes) and waits
            while (reader.Queued < capacity && clock.Elapsed < TimeSpan.FromSeconds(10)) System.Threading.Thread.Sleep(10);
            System.Threading.Thread.Sleep(50);
            Assert.Equal(capacity, reader.Queued); // full, and no further
            while (events.Count < backlog && clock.Elapsed < TimeSpan.FromSeconds(10)) events.AddRange(reader.Poll(50));
            events.AddRange(reader.Complete());

            Assert.Equal(part, decoder.QueuedMidway); // the first part reached the queue during the drain
            Assert.Equal(capacity, decoder.MostQueued);
            Assert.Equal(Enumerable.Range(0, backlog), events);
        }

        /// <summary>Records that are numbers, 0 up: as a buffer, <paramref name="total"/> of them, each taken
        /// only while the reader's handler has room (a record without room stays in the buffer).</summary>
        private sealed class Backlog(RecordHandler handler, int total) : IRecordReader
        {
            private int _next;

            public int Poll(int timeoutMs)
            {
                if (_next == total) { System.Threading.Thread.Sleep(timeoutMs); return 0; }
                int taken = 0;
                Span<byte> record = stackalloc byte[4];
                while (_next < total)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(record, _next);
                    if (!handler(record)) break;
                    _next++;
                    taken++;
                }
                return taken;
            }

            public void Dispose() { }
        }

        private sealed class Numbers : IRecordDecoder<int>
        {
            internal Action<int, List<int>>? Decoded;
            internal int QueuedMidway = -1, MostQueued;

            public void Decode(ReadOnlySpan<byte> record, List<int> ready)
            {
                ready.Add(System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(record));
                Decoded?.Invoke(ready[^1], ready);
            }
        }

        [Fact]
        public void A_completed_queue_does_not_wait()
        {
            var queue = new EventQueue<int>(4);
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
        public void Perf_buffers_share_the_buffer_bytes_among_the_cpus_at_least_64_pages_each()
        {
            Assert.SkipUnless(Environment.SystemPageSize == 4096, "the figures are for 4 KiB pages");
            const uint mib64 = 64 << 20;
            Assert.Equal(16384, PerfBuffer.PagesPerCpu(mib64, 1));
            Assert.Equal(8192, PerfBuffer.PagesPerCpu(mib64, 2));
            Assert.Equal(4096, PerfBuffer.PagesPerCpu(mib64, 3)); // 5,461 pages, down to a power of two
            Assert.Equal(512, PerfBuffer.PagesPerCpu(4 << 20, 2));
            Assert.Equal(8192, PerfBuffer.PagesPerCpu(EventDelivery.DefaultBufferBytes, 2)); // 64 MiB on 2 CPUs
            Assert.Equal(64, PerfBuffer.PagesPerCpu(mib64, 256));
            Assert.Equal(64, PerfBuffer.PagesPerCpu(4096, 2));
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
