using System;
using System.Runtime.InteropServices;
using EbpfPS.Interop;

namespace EbpfPS.Core
{
    /// <summary>Consumes a BPF_MAP_TYPE_RINGBUF map. Records are handed to the handler during Poll, on the
    /// polling thread; a handler exception ends the poll and is rethrown there (never across native frames).</summary>
    internal sealed unsafe class RingBuffer : IRecordReader
    {
        internal delegate void RecordHandler(ReadOnlySpan<byte> record);

        private readonly RecordHandler _handler;
        private readonly RingBufferHandle _handle;
        private GCHandle _self;
        private Exception? _handlerFailure;

        internal RingBuffer(BpfMap map, RecordHandler handler)
        {
            _handler = handler;
            _self = GCHandle.Alloc(this);
            nint raw = Libbpf.ring_buffer__new(map.Fd, &OnSample, GCHandle.ToIntPtr(_self), 0);
            if (raw == 0)
            {
                int errno = Errno.Last;
                _self.Free();
                throw Errno.Exception(errno, BpfErrorKind.LoadFailed, $"Opening the ring buffer '{map.Name}' failed");
            }
            _handle = new RingBufferHandle(raw);
        }

        /// <summary>Waits up to <paramref name="timeoutMs"/> for records and consumes all that are there.
        /// Returns how many records were handled.</summary>
        public int Poll(int timeoutMs)
        {
            int n = Libbpf.ring_buffer__poll(_handle, timeoutMs);
            if (_handlerFailure is { } failure)
            {
                _handlerFailure = null;
                throw new BpfException(BpfErrorKind.ReadFailed, $"Decoding a ring buffer record failed: {failure.Message}", inner: failure);
            }
            if (n == -Errno.EINTR) return 0;
            if (n < 0) throw Errno.Exception(-n, BpfErrorKind.ReadFailed, "Polling the ring buffer failed");
            return n;
        }

        [UnmanagedCallersOnly]
        private static int OnSample(nint context, void* data, nuint size)
        {
            var self = (RingBuffer)GCHandle.FromIntPtr(context).Target!;
            try
            {
                self._handler(new ReadOnlySpan<byte>(data, (int)size));
                return 0;
            }
            catch (Exception e)
            {
                self._handlerFailure = e;
                return -1;
            }
        }

        public void Dispose()
        {
            _handle.Dispose();
            if (_self.IsAllocated) _self.Free();
        }
    }
}
