using System;
using System.Threading;
using EbpfPS.Interop;

namespace EbpfPS.Core
{
    /// <summary>Reads a BPF_MAP_TYPE_RINGBUF map as the kernel lays it out: a consumer page this process
    /// writes its position to, then a producer page and the data pages, mapped read-only once. (libbpf maps the
    /// data twice in a row so that a record wrapping around the end reads on, which doubles the ring in the
    /// process's resident memory; here the rare wrapping record is copied.) A record is consumed only once the
    /// handler took it: when the handler has no room, the record and all after it stay in the ring.</summary>
    internal sealed unsafe class RingBuffer : IRecordReader
    {
        // uapi/linux/bpf.h: the 8-byte header of each record.
        private const uint BusyBit = 1u << 31, DiscardBit = 1u << 30;
        private const int HeaderSize = 8;

        private readonly RecordHandler _handler;
        private readonly int _fd;
        private readonly MappingHandle _consumerPage;
        private readonly MappingHandle _producer;
        private readonly ulong* _consumerPos;
        private readonly ulong* _producerPos;
        private readonly byte* _data;
        private readonly ulong _mask;
        private byte[] _wrapped = Array.Empty<byte>();

        internal RingBuffer(BpfMap map, RecordHandler handler)
        {
            _handler = handler;
            _fd = map.Fd;
            int page = Environment.SystemPageSize;
            ulong size = map.MaxEntries;
            _mask = size - 1;
            _consumerPage = Map(map, (nuint)page, Libc.PROT_READ | Libc.PROT_WRITE, 0);
            try { _producer = Map(map, (nuint)page + (nuint)size, Libc.PROT_READ, page); }
            catch { _consumerPage.Dispose(); throw; }
            _consumerPos = (ulong*)_consumerPage.DangerousGetHandle();
            _producerPos = (ulong*)_producer.DangerousGetHandle();
            _data = (byte*)_producer.DangerousGetHandle() + page;
        }

        private static MappingHandle Map(BpfMap map, nuint length, int protection, long offset)
        {
            nint address = Libc.mmap(0, length, protection, Libc.MAP_SHARED, map.Fd, offset);
            if (address == Libc.MAP_FAILED)
                throw Errno.Exception(Errno.Last, BpfErrorKind.LoadFailed, $"Mapping the ring buffer '{map.Name}' failed");
            return new MappingHandle(address, length);
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
                throw Errno.Exception(Errno.Last, BpfErrorKind.ReadFailed, "Waiting for the ring buffer failed");
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
                uint header = Volatile.Read(ref *(uint*)(_data + (consumer & _mask)));
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

        /// <summary>A record's bytes: in place, or copied when it wraps around the end of the data pages.</summary>
        private ReadOnlySpan<byte> Record(ulong position, int length)
        {
            ulong offset = position & _mask;
            ulong size = _mask + 1;
            if (offset + (ulong)length <= size) return new ReadOnlySpan<byte>(_data + offset, length);
            if (_wrapped.Length < length) _wrapped = new byte[length];
            int first = (int)(size - offset);
            new ReadOnlySpan<byte>(_data + offset, first).CopyTo(_wrapped);
            new ReadOnlySpan<byte>(_data, length - first).CopyTo(_wrapped.AsSpan(first));
            return _wrapped.AsSpan(0, length);
        }

        public void Dispose()
        {
            _producer.Dispose();
            _consumerPage.Dispose();
        }
    }
}
