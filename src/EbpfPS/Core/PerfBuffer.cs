using System;
using System.Runtime.InteropServices;
using EbpfPS.Interop;

namespace EbpfPS.Core
{
    /// <summary>Consumes a BPF_MAP_TYPE_PERF_EVENT_ARRAY map (one buffer per CPU). Records are handed to the
    /// handler during Poll on the polling thread; what the kernel dropped is counted in Lost.
    /// <para>Wake-ups are batched as for ring buffers: a CPU's buffer wakes the reader only after
    /// <see cref="EventDelivery.PerfWakeupEvents"/> records, and every Poll consumes all buffers, so a
    /// trickle waits at most one poll.</para></summary>
    internal sealed unsafe class PerfBuffer : IRecordReader
    {
        /// <summary>Pages per CPU buffer (a power of two): the 4 MiB of a built-in probe's ring buffer shared
        /// among the CPUs, at least 64 pages (256 KiB, the default of bpftrace and libbpf-tools). 64 pages held
        /// 13 ms of the benchmark's getppid flood on 2 CPUs and lost a fifth of it; 4 MiB holds 200 ms.</summary>
        internal static int DefaultPagesPerCpu(int cpus)
        {
            int pages = (4 << 20) / Environment.SystemPageSize / Math.Max(1, cpus);
            return pages <= 64 ? 64 : 1 << System.Numerics.BitOperations.Log2((uint)pages);
        }

        // perf_event_attr: the fields set here, at their uapi offsets (PERF_ATTR_SIZE_VER5 = 112 bytes).
        private const int AttrSize = 112;
        private const uint PerfTypeSoftware = 1;
        private const ulong PerfCountSwBpfOutput = 10, PerfSampleRaw = 1 << 10;
        private const int PerfRecordLost = 2, PerfRecordSample = 9, LibbpfPerfEventCont = -2;

        private readonly RingBuffer.RecordHandler _handler;
        private readonly PerfBufferHandle _handle;
        private GCHandle _self;
        private Exception? _handlerFailure;
        private ulong _lost;

        internal PerfBuffer(BpfMap map, RingBuffer.RecordHandler handler, EventDelivery? delivery = null, int? pagesPerCpu = null)
        {
            _handler = handler;
            _self = GCHandle.Alloc(this);
            byte* attr = stackalloc byte[AttrSize];
            new Span<byte>(attr, AttrSize).Clear();
            *(uint*)attr = PerfTypeSoftware;                 // type
            *(uint*)(attr + 4) = AttrSize;                   // size
            *(ulong*)(attr + 8) = PerfCountSwBpfOutput;      // config
            *(ulong*)(attr + 16) = 1;                        // sample_period
            *(ulong*)(attr + 24) = PerfSampleRaw;            // sample_type
            *(uint*)(attr + 48) = Math.Max(1u, (delivery ?? EventDelivery.Batched).PerfWakeupEvents); // wakeup_events (flags at 40 stay 0: not a watermark)
            nint raw = Libbpf.perf_buffer__new_raw(map.Fd, (nuint)(pagesPerCpu ?? DefaultPagesPerCpu(Environment.ProcessorCount)), attr, &OnEvent, GCHandle.ToIntPtr(_self), 0);
            if (raw == 0)
            {
                int errno = Errno.Last;
                _self.Free();
                throw Errno.Exception(errno, BpfErrorKind.LoadFailed, $"Opening the perf buffer '{map.Name}' failed");
            }
            _handle = new PerfBufferHandle(raw);
        }

        /// <summary>Records the kernel could not write because a CPU's buffer was full.</summary>
        public ulong Lost => _lost;

        public int Poll(int timeoutMs)
        {
            int n = Libbpf.perf_buffer__poll(_handle, timeoutMs);
            if (n >= 0 || n == -Errno.EINTR)
            {
                // Buffers below their wake-up count did not signal: consume them all the same.
                int consumed = Libbpf.perf_buffer__consume(_handle);
                if (consumed < 0 && consumed != -Errno.EINTR) n = consumed;
            }
            if (_handlerFailure is { } failure)
            {
                _handlerFailure = null;
                throw new BpfException(BpfErrorKind.ReadFailed, $"Decoding a perf buffer record failed: {failure.Message}", inner: failure);
            }
            if (n == -Errno.EINTR) return 0;
            if (n < 0) throw Errno.Exception(-n, BpfErrorKind.ReadFailed, "Polling the perf buffer failed");
            return n;
        }

        /// <summary>One perf record: a sample is a u32 size and the program's bytes (PERF_SAMPLE_RAW); a lost
        /// record carries an id and the number of samples the kernel dropped.</summary>
        [UnmanagedCallersOnly]
        private static int OnEvent(nint context, int cpu, void* header)
        {
            var self = (PerfBuffer)GCHandle.FromIntPtr(context).Target!;
            byte* record = (byte*)header;
            switch (*(uint*)record) // perf_event_header: u32 type, u16 misc, u16 size
            {
                case PerfRecordSample when self._handlerFailure is null:
                    try { self._handler(new ReadOnlySpan<byte>(record + 12, (int)*(uint*)(record + 8))); }
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
