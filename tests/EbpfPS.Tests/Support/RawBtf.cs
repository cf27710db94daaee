using System.Collections.Generic;
using System.IO;
using System.Text;

namespace EbpfPS.Tests.Support
{
    /// <summary>Hand-made BTF blobs for what clang 14 cannot emit (ENUM64).</summary>
    internal static class RawBtf
    {
        /// <summary>[1] ENUM64 wide (unsigned, 8 bytes): SMALL = 1, BIG = 1 &lt;&lt; 32;
        /// [2] ENUM64 signed (signed, 8 bytes): MINUS = -2.</summary>
        internal static byte[] Enum64()
        {
            var strings = new StringTable();
            var types = new MemoryStream();
            var w = new BinaryWriter(types);
            const uint Enum64 = 19;
            w.Write(strings["wide"]); w.Write((Enum64 << 24) | 2); w.Write(8u);
            w.Write(strings["SMALL"]); w.Write(1u); w.Write(0u);
            w.Write(strings["BIG"]); w.Write(0u); w.Write(1u);
            w.Write(strings["signed"]); w.Write((Enum64 << 24) | 0x8000_0000 | 1); w.Write(8u);
            w.Write(strings["MINUS"]); w.Write(unchecked((uint)-2)); w.Write(uint.MaxValue);
            return Blob(types.ToArray(), strings.Bytes);
        }

        private static byte[] Blob(byte[] types, byte[] strings)
        {
            var blob = new MemoryStream();
            var w = new BinaryWriter(blob);
            w.Write((ushort)0xeB9F); w.Write((byte)1); w.Write((byte)0);
            w.Write(24u); w.Write(0u); w.Write((uint)types.Length); w.Write((uint)types.Length); w.Write((uint)strings.Length);
            w.Write(types); w.Write(strings);
            return blob.ToArray();
        }

        private sealed class StringTable
        {
            private readonly MemoryStream _bytes = new();
            private readonly Dictionary<string, uint> _offsets = new();

            internal StringTable() => _bytes.WriteByte(0);

            internal uint this[string text]
            {
                get
                {
                    if (_offsets.TryGetValue(text, out var offset)) return offset;
                    offset = (uint)_bytes.Length;
                    _bytes.Write(Encoding.ASCII.GetBytes(text + "\0"));
                    return _offsets[text] = offset;
                }
            }

            internal byte[] Bytes => _bytes.ToArray();
        }
    }
}
