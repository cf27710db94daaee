using System;
using System.Buffers.Binary;
using System.Text;

namespace EbpfPS.Core.Pipeline
{
    /// <summary>Strings of 16-byte task names (comm), decoded once: a busy process sends the same name in
    /// every record, and decoding it again would allocate a string per event. Direct-mapped, 256 slots,
    /// keyed by the name's bytes themselves (no false hits). Used by one decoding thread at a time.</summary>
    internal sealed class CommCache
    {
        internal const int CommLength = 16;
        private const int Slots = 256;

        private readonly ulong[] _low = new ulong[Slots];
        private readonly ulong[] _high = new ulong[Slots];
        private readonly string?[] _names = new string?[Slots];

        internal string Get(ReadOnlySpan<byte> comm)
        {
            if (comm.Length != CommLength) return CStrings.Read(comm);
            ulong low = BinaryPrimitives.ReadUInt64LittleEndian(comm);
            ulong high = BinaryPrimitives.ReadUInt64LittleEndian(comm[8..]);
            int end = comm.IndexOf((byte)0);
            // Bytes after the NUL may be stale; key on the name only.
            if (end >= 0 && end < 8) { low &= end == 0 ? 0 : ulong.MaxValue >> (64 - 8 * end); high = 0; }
            else if (end >= 8) high &= end == 8 ? 0 : ulong.MaxValue >> (64 - 8 * (end - 8));
            int slot = (int)((low * 0x9E3779B97F4A7C15UL ^ high) >> 56);
            if (_names[slot] is { } name && _low[slot] == low && _high[slot] == high) return name;
            name = Encoding.UTF8.GetString(end < 0 ? comm : comm[..end]);
            _low[slot] = low;
            _high[slot] = high;
            _names[slot] = name;
            return name;
        }
    }
}
