using System;

namespace EbpfPS.Core.Pipeline
{
    /// <summary>How a ring buffer probe hands its records to user space and on to the consumer.</summary>
    internal sealed record EventDelivery
    {
        /// <summary>Batched (the default): the kernel submits without waking user space until the ring holds
        /// <see cref="WakeupFraction"/> of its size; a reader thread of our own drains it every
        /// <see cref="DrainIntervalMs"/> as well, decodes, and queues up to <see cref="QueueCapacity"/> events
        /// for the consumer; beyond that it waits, and the records wait in the kernel's buffer.</summary>
        internal static readonly EventDelivery Batched = new();

        /// <summary>As before batching: every submission may wake user space, and the consuming thread itself
        /// polls and decodes (kept to compare with in the benchmark).</summary>
        internal static readonly EventDelivery PerEvent = new() { Threaded = false, WakeupFraction = 0, PerfWakeupEvents = 1 };

        /// <summary>A reader thread decodes into a bounded queue; false polls on the consuming thread.</summary>
        public bool Threaded { get; init; } = true;

        /// <summary>Fill level of the ring (0..1) from which submissions wake the reader; 0 wakes per the
        /// kernel's default (whenever the reader has caught up).</summary>
        public double WakeupFraction { get; init; } = 0.25;

        /// <summary>Records a CPU's perf buffer collects before the kernel wakes the reader (perf_event_attr's
        /// wakeup_events; libbpf's perf_buffer__new fixes it at 1). Every poll drains all buffers regardless.</summary>
        public uint PerfWakeupEvents { get; init; } = 64;

        /// <summary>How often the reader drains records that were submitted without a wake-up.</summary>
        public int DrainIntervalMs { get; init; } = 2;

        /// <summary>Decoded events the reader keeps ready for the consumer; beyond them the backlog waits in the
        /// kernel's buffer, undecoded (some 4 MB of objects; more decoded ahead only costs memory).</summary>
        public int QueueCapacity { get; init; } = 16384;

        /// <summary>The kernel buffer the records wait in while the consumer is behind: a ring buffer's size, or
        /// the perf buffers' together (shared among the CPUs). Only when it is full does the kernel drop records
        /// (counted as lost).</summary>
        public uint BufferBytes { get; init; } = DefaultBufferBytes;

        /// <summary>64 MiB: a burst of some 930,000 records of a syscall without arguments (72 bytes with the
        /// header; 120 with six) waits in it, behind the 16,384 decoded events of the queue: a million getppid
        /// calls traced on raw tracepoints outrun a pwsh pipeline by some 550,000. Kernel memory for as long as
        /// the trace runs, mapped once into the process (its resident memory grows by as much).</summary>
        internal const uint DefaultBufferBytes = 64 << 20;

        /// <summary>Bytes of a ring buffer's data mapped into the process at a time (<see cref="RingBuffer"/>).</summary>
        public ulong RingWindowBytes { get; init; } = 1 << 20;

        /// <summary>The smallest and largest buffer: a page, and 1 GiB (the kernel takes up to 4 GiB per ring).</summary>
        internal const long MinBufferBytes = 4096, MaxBufferBytes = 1L << 30;

        internal ulong WakeupBytes(uint ringBufferBytes) =>
            WakeupFraction <= 0 ? 0 : Math.Max(1UL, (ulong)(ringBufferBytes * Math.Min(WakeupFraction, 1.0)));
    }
}
