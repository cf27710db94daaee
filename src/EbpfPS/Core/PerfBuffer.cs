using System;
using System.Runtime.InteropServices;
using EbpfPS.Interop;

namespace EbpfPS.Core
{
    /// <summary>Consumes a BPF_MAP_TYPE_PERF_EVENT_ARRAY map (one buffer per CPU). Records are handed to the
    /// handler during Poll on the polling thread; what the kernel dropped is counted in Lost.</summary>
    internal sealed unsafe class PerfBuffer : IRecordReader
    {
        /// <summary>Pages per CPU buffer (a power of two): 64 pages = 256 KiB per CPU.</summary>
        internal const int DefaultPages = 64;

        private readonly RingBuffer.RecordHandler _handler;
        private readonly PerfBufferHandle _handle;
        private GCHandle _self;
        private Exception? _handlerFailure;
        private ulong _lost;

        internal PerfBuffer(BpfMap map, RingBuffer.RecordHandler handler, int pagesPerCpu = DefaultPages)
        {
            _handler = handler;
            _self = GCHandle.Alloc(this);
            nint raw = Libbpf.perf_buffer__new(map.Fd, (nuint)pagesPerCpu, &OnSample, &OnLost, GCHandle.ToIntPtr(_self), 0);
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
            if (_handlerFailure is { } failure)
            {
                _handlerFailure = null;
                throw new BpfException(BpfErrorKind.ReadFailed, $"Decoding a perf buffer record failed: {failure.Message}", inner: failure);
            }
            if (n == -Errno.EINTR) return 0;
            if (n < 0) throw Errno.Exception(-n, BpfErrorKind.ReadFailed, "Polling the perf buffer failed");
            return n;
        }

        [UnmanagedCallersOnly]
        private static void OnSample(nint context, int cpu, void* data, uint size)
        {
            var self = (PerfBuffer)GCHandle.FromIntPtr(context).Target!;
            if (self._handlerFailure is not null) return;
            try { self._handler(new ReadOnlySpan<byte>(data, (int)size)); }
            catch (Exception e) { self._handlerFailure = e; }
        }

        [UnmanagedCallersOnly]
        private static void OnLost(nint context, int cpu, ulong count)
        {
            var self = (PerfBuffer)GCHandle.FromIntPtr(context).Target!;
            self._lost += count;
        }

        public void Dispose()
        {
            _handle.Dispose();
            if (_self.IsAllocated) _self.Free();
        }
    }
}
