using System.Collections.Generic;
using System.Runtime.InteropServices;
using System;
using EbpfPS.Core.Objects;
using EbpfPS.Interop;

namespace EbpfPS.Core.Pipeline
{
    /// <summary>Consumes a BPF_MAP_TYPE_PERF_EVENT_ARRAY map (one buffer per CPU). Records are handed to the
    /// handler during Poll on the polling thread; what the kernel dropped is counted in Lost.
    /// <para>Wake-ups are batched as for ring buffers: a CPU's buffer wakes the reader only after
    /// <see cref="EventDelivery.PerfWakeupEvents"/> records, and every Poll consumes all buffers, so a
    /// trickle waits at most one poll.</para>
    /// <para>When the handler has no room, libbpf has consumed the record it offered (and goes on to the next
    /// CPU's buffer), so that record is kept here, at most one per CPU, and offered first next time; the rest
    /// stay in the buffers.</para></summary>
    internal sealed unsafe class PerfBuffer : IRecordReader
    {
        /// <summary>Pages per CPU buffer (a power of two): the delivery's buffer bytes shared among the CPUs, at
        /// least 64 pages (256 KiB, the default of bpftrace and libbpf-tools).</summary>
        internal static int PagesPerCpu(uint bufferBytes, int cpus)
        {
            long pages = bufferBytes / Environment.SystemPageSize / Math.Max(1, cpus);
            return pages <= 64 ? 64 : 1 << System.Numerics.BitOperations.Log2((ulong)pages);
        }

        // perf_event_attr: the fields set here, at their uapi offsets (PERF_ATTR_SIZE_VER5 = 112 bytes).
        private const int AttrSize = 112;
        private const uint PerfTypeSoftware = 1;
        private const ulong PerfCountSwBpfOutput = 10, PerfSampleRaw = 1 << 10;
        private const int PerfRecordLost = 2, PerfRecordSample = 9, LibbpfPerfEventDone = 0, LibbpfPerfEventCont = -2;

        private readonly RecordHandler _handler;
        private readonly PerfBufferHandle _handle;
        private readonly Queue<byte[]> _held = new();
        private GCHandle _self;
        private Exception? _handlerFailure;
        private ulong _lost;
        private bool _full;
        private int _taken;

        internal PerfBuffer(BpfMap map, RecordHandler handler, EventDelivery? delivery = null)
        {
            delivery ??= EventDelivery.Batched;
            _handler = handler;
            _self = GCHandle.Alloc(this);
            byte* attr = stackalloc byte[AttrSize];
            new Span<byte>(attr, AttrSize).Clear();
            *(uint*)attr = PerfTypeSoftware;                 // type
            *(uint*)(attr + 4) = AttrSize;                   // size
            *(ulong*)(attr + 8) = PerfCountSwBpfOutput;      // config
            *(ulong*)(attr + 16) = 1;                        // sample_period
            *(ulong*)(attr + 24) = PerfSampleRaw;            // sample_type
            *(uint*)(attr + 48) = Math.Max(1u, delivery.PerfWakeupEvents); // wakeup_events (flags at 40 stay 0: not a watermark)
            nint raw = Libbpf.perf_buffer__new_raw(map.Fd, (nuint)PagesPerCpu(delivery.BufferBytes, Environment.ProcessorCount), attr, &OnEvent, GCHandle.ToIntPtr(_self), 0);
            if (raw == 0)
            {
                int errno = Errno.Last;
                _self.Free();
                throw ErrnoFailures.Exception(errno, BpfErrorKind.LoadFailed, $"Opening the perf buffer '{map.Name}' failed");
            }
            _handle = new PerfBufferHandle(raw);
        }

        /// <summary>Records the kernel could not write because a CPU's buffer was full.</summary>
        public ulong Lost => _lost;

        /// <summary>Whether a CPU's buffer woke the reader (reached its wake-up count) within
        /// <paramref name="timeoutMs"/>, without reading anything: shows the wake-up count the kernel was given.</summary>
        internal bool Woken(int timeoutMs)
        {
            var pollFd = new Libc.PollFd { Fd = Libbpf.perf_buffer__epoll_fd(_handle), Events = Libc.POLLIN };
            int n = Libc.poll(&pollFd, 1, timeoutMs);
            if (n < 0) throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.ReadFailed, "Polling the perf buffer failed");
            return n > 0;
        }

        public int Poll(int timeoutMs)
        {
            _taken = 0;
            while (_held.TryPeek(out var held))
            {
                if (!_handler(held)) return 0;
                _held.Dequeue();
                _taken++;
            }
            int n = Libbpf.perf_buffer__poll(_handle, timeoutMs);
            if ((n >= 0 || n == -Errno.EINTR) && !_full)
            {
                // Buffers below their wake-up count did not signal: consume them all the same.
                int consumed = Libbpf.perf_buffer__consume(_handle);
                if (consumed < 0 && consumed != -Errno.EINTR) n = consumed;
            }
            _full = false;
            if (_handlerFailure is { } failure)
            {
                _handlerFailure = null;
                throw new BpfException(BpfErrorKind.ReadFailed, $"Decoding a perf buffer record failed: {failure.Message}", inner: failure);
            }
            if (n < 0 && n != -Errno.EINTR) throw ErrnoFailures.Exception(-n, BpfErrorKind.ReadFailed, "Polling the perf buffer failed");
            return _taken;
        }

        /// <summary>One perf record: a sample is a u32 size and the program's bytes (PERF_SAMPLE_RAW); a lost
        /// record carries an id and the number of samples the kernel dropped. Once the handler had no room,
        /// every CPU's buffer stops at its next sample, which is kept.</summary>
        [UnmanagedCallersOnly]
        private static int OnEvent(nint context, int cpu, void* header)
        {
            var self = (PerfBuffer)GCHandle.FromIntPtr(context).Target!;
            byte* record = (byte*)header;
            switch (*(uint*)record) // perf_event_header: u32 type, u16 misc, u16 size
            {
                case PerfRecordSample when self._handlerFailure is null:
                    var sample = new ReadOnlySpan<byte>(record + 12, (int)*(uint*)(record + 8));
                    try
                    {
                        if (!self._full && self._handler(sample)) self._taken++;
                        else
                        {
                            self._full = true;
                            self._held.Enqueue(sample.ToArray());
                            return LibbpfPerfEventDone; // this CPU's buffer stops here
                        }
                    }
                    catch (Exception e) { self._handlerFailure = e; }
                    break;
                case PerfRecordLost:
                    self._lost += *(ulong*)(record + 16);
                    break;
            }
            return LibbpfPerfEventCont;
        }

        public void Dispose()
        {
            _handle.Dispose();
            if (_self.IsAllocated) _self.Free();
        }
    }
}
