using System;
using System.Runtime.InteropServices;
using EbpfPS.Interop;

namespace EbpfPS.Core
{
    /// <summary>Consumes a BPF_MAP_TYPE_RINGBUF map. Records are handed to the handler during Poll, on the
    /// polling thread; a handler exception ends the poll and is rethrown there (never across native frames).
    /// When the handler has no room, the poll stops: libbpf has consumed that one record (it advances past a
    /// record before it asks the handler), so it is kept here and offered first next time; the rest stay in
    /// the ring.</summary>
    internal sealed unsafe class RingBuffer : IRecordReader
    {
        private readonly RecordHandler _handler;
        private readonly RingBufferHandle _handle;
        private GCHandle _self;
        private Exception? _handlerFailure;
        private byte[]? _held;
        private bool _full;
        private int _taken;

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

        /// <summary>Waits up to <paramref name="timeoutMs"/> for records and takes all that are there, until the
        /// handler has no room. Returns how many records were taken.</summary>
        public int Poll(int timeoutMs) => Take(() => Libbpf.ring_buffer__poll(_handle, timeoutMs), "Polling the ring buffer failed");

        /// <summary>Takes every record waiting, without waiting and whether or not the kernel signalled
        /// (submissions with BPF_RB_NO_WAKEUP do not), until the handler has no room. Returns how many.</summary>
        public int Consume() => Take(() => Libbpf.ring_buffer__consume(_handle), "Consuming the ring buffer failed");

        private int Take(Func<int> consume, string failed)
        {
            _taken = 0;
            if (_held is { } held)
            {
                if (!_handler(held)) return 0;
                _held = null;
                _taken = 1;
            }
            int n = consume();
            if (_handlerFailure is { } failure)
            {
                _handlerFailure = null;
                throw new BpfException(BpfErrorKind.ReadFailed, $"Decoding a ring buffer record failed: {failure.Message}", inner: failure);
            }
            if (_full) _full = false; // the handler stopped the consumption: not an error
            else if (n < 0 && n != -Errno.EINTR) throw Errno.Exception(-n, BpfErrorKind.ReadFailed, failed);
            return _taken;
        }

        [UnmanagedCallersOnly]
        private static int OnSample(nint context, void* data, nuint size)
        {
            var self = (RingBuffer)GCHandle.FromIntPtr(context).Target!;
            var record = new ReadOnlySpan<byte>(data, (int)size);
            try
            {
                if (self._handler(record))
                {
                    self._taken++;
                    return 0;
                }
                self._held = record.ToArray();
                self._full = true;
            }
            catch (Exception e)
            {
                self._handlerFailure = e;
            }
            return -1; // stops the consumption
        }

        public void Dispose()
        {
            _handle.Dispose();
            if (_self.IsAllocated) _self.Free();
        }
    }
}
