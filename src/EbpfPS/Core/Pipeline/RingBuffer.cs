using System.Threading;
using System;
using EbpfPS.Core.Objects;
using EbpfPS.Interop;

namespace EbpfPS.Core.Pipeline
{
    /// <summary>Reads a BPF_MAP_TYPE_RINGBUF map as the kernel lays it out: a consumer page this process
    /// writes its position to, a producer page, then the data pages, of which only a window around the
    /// consumer's position is mapped (read-only) at a time: the process's resident memory holds the window, not
    /// the ring, so a large -BufferSize costs kernel memory only. (libbpf maps all the data twice in a row, so
    /// that a record wrapping around the end reads on; here a record that crosses the window's end is copied.)
    /// A record is consumed only once the handler took it: when the handler has no room, the record and all
    /// after it stay in the ring.</summary>
    internal sealed unsafe class RingBuffer : IRecordReader
    {
        // uapi/linux/bpf.h: the 8-byte header of each record.
        private const uint BusyBit = 1u << 31, DiscardBit = 1u << 30;
        private const int HeaderSize = 8;

        private readonly RecordHandler _handler;
        private readonly BpfMap _map;
        private readonly int _fd;
        private readonly MappingHandle _consumerPage;
        private readonly MappingHandle _producerPage;
        private readonly ulong* _consumerPos;
        private readonly ulong* _producerPos;
        private readonly ulong _mask, _windowSize;
        private readonly long _dataOffset;
        private MappingHandle? _window;
        private ulong _windowStart;
        private byte[] _copy = Array.Empty<byte>();

        /// <param name="windowBytes">Data mapped at a time (a power of two of at least a page): remapping costs some
        /// tens of microseconds per window of records.</param>
        internal RingBuffer(BpfMap map, RecordHandler handler, ulong windowBytes)
        {
            _handler = handler;
            _map = map;
            _fd = map.Fd;
            int page = Environment.SystemPageSize;
            ulong size = map.MaxEntries;
            _mask = size - 1;
            _windowSize = Math.Min(size, Math.Max(windowBytes, (ulong)page));
            _dataOffset = 2L * page;
            _consumerPage = Map((nuint)page, Libc.PROT_READ | Libc.PROT_WRITE, 0);
            try { _producerPage = Map((nuint)page, Libc.PROT_READ, page); }
            catch { _consumerPage.Dispose(); throw; }
            _consumerPos = (ulong*)_consumerPage.DangerousGetHandle();
            _producerPos = (ulong*)_producerPage.DangerousGetHandle();
        }

        private MappingHandle Map(nuint length, int protection, long offset)
        {
            nint address = Libc.mmap(0, length, protection, Libc.MAP_SHARED, _fd, offset);
            if (address == Libc.MAP_FAILED)
                throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.LoadFailed, $"Mapping the ring buffer '{_map.Name}' failed");
            return new MappingHandle(address, length);
        }

        /// <summary>The address of the data at <paramref name="offset"/> (0 to the ring's size), mapping the window
        /// that holds it; valid until the next call. Windows start at multiples of their size, which divides
        /// the ring's, so an 8-byte header never crosses one.</summary>
        private byte* At(ulong offset, out ulong left)
        {
            if (_window is null || offset - _windowStart >= _windowSize)
            {
                _window?.Dispose();
                _window = null;
                _windowStart = offset & ~(_windowSize - 1);
                _window = Map((nuint)_windowSize, Libc.PROT_READ, _dataOffset + (long)_windowStart);
            }
            left = _windowStart + _windowSize - offset;
            return (byte*)_window.DangerousGetHandle() + (offset - _windowStart);
        }

        /// <summary>Takes the records that are there (submissions with BPF_RB_NO_WAKEUP never signal); when there
        /// are none, waits up to <paramref name="timeoutMs"/> for the kernel's wake-up and takes what arrived, until
        /// the handler has no room. Returns how many records were taken.</summary>
        public int Poll(int timeoutMs)
        {
            int taken = Consume(out bool waiting);
            if (taken > 0 || waiting || timeoutMs <= 0) return taken;
            var fd = new Libc.PollFd { Fd = _fd, Events = Libc.POLLIN };
            if (Libc.poll(&fd, 1, timeoutMs) < 0 && Errno.Last != Errno.EINTR)
                throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.ReadFailed, "Waiting for the ring buffer failed");
            return Consume(out _);
        }

        /// <param name="waiting">Whether records are left because the handler had no room.</param>
        private int Consume(out bool waiting)
        {
            int taken = 0;
            waiting = false;
            ulong consumer = Volatile.Read(ref *_consumerPos);
            while (true)
            {
                ulong producer = Volatile.Read(ref *_producerPos);
                if (consumer >= producer) break;
                uint header = Volatile.Read(ref *(uint*)At(consumer & _mask, out _));
                if ((header & BusyBit) != 0) break; // reserved, not yet submitted: the records after it wait too
                int length = (int)(header & ~(BusyBit | DiscardBit));
                ulong next = consumer + (ulong)((length + HeaderSize + 7) & ~7);
                if ((header & DiscardBit) == 0)
                {
                    bool took;
                    try { took = _handler(Record(consumer + HeaderSize, length)); }
                    catch (Exception e) when (e is not BpfException)
                    {
                        Volatile.Write(ref *_consumerPos, next); // a record that cannot be decoded is not read again
                        throw new BpfException(BpfErrorKind.ReadFailed, $"Decoding a ring buffer record failed: {e.Message}", inner: e);
                    }
                    if (!took)
                    {
                        waiting = true;
                        break;
                    }
                    taken++;
                }
                consumer = next;
                Volatile.Write(ref *_consumerPos, consumer); // the kernel may reuse the space from here on
            }
            return taken;
        }

        /// <summary>A record's bytes: in place, or copied when they cross the end of the window (or of the ring).</summary>
        private ReadOnlySpan<byte> Record(ulong position, int length)
        {
            byte* start = At(position & _mask, out ulong left);
            if ((ulong)length <= left) return new ReadOnlySpan<byte>(start, length);
            if (_copy.Length < length) _copy = new byte[length];
            for (int copied = 0; copied < length;)
            {
                byte* from = At((position + (ulong)copied) & _mask, out left);
                int chunk = (int)Math.Min(left, (ulong)(length - copied));
                new ReadOnlySpan<byte>(from, chunk).CopyTo(_copy.AsSpan(copied));
                copied += chunk;
            }
            return _copy.AsSpan(0, length);
        }

        public void Dispose()
        {
            _window?.Dispose();
            _producerPage.Dispose();
            _consumerPage.Dispose();
        }
    }
}
