using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EbpfPS.Core.TraceFs
{
    /// <summary>How a field's bytes are to be read.</summary>
    internal enum FieldKind
    {
        Integer,
        Pointer,
        /// <summary>A char array or a __data_loc char[]: text.</summary>
        String,
        /// <summary>A fixed array of integers (u8 addr[4] becomes an address when the print format says so).</summary>
        Array,
        /// <summary>__data_loc of anything but char: bytes found through an offset/length word.</summary>
        DynamicBytes,
    }

    /// <summary>One `field:TYPE NAME; offset:N; size:N; signed:N;` line of a tracepoint's format file.</summary>
    internal sealed partial record TracepointField(string Name, string Type, int Offset, int Size, bool Signed)
    {
        [GeneratedRegex(@"^(?<type>.*?)\s*\b(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*(\[(?<length>[^\]]*)\])?$")]
        private static partial Regex Declaration();

        /// <summary>Elements of a fixed array (`__u8 saddr[4]` has 4), 0 for a scalar.</summary>
        public int ArrayLength { get; init; }

        public bool IsCommon => Name.StartsWith("common_", StringComparison.Ordinal);
        public bool IsDataLoc => Type.StartsWith("__data_loc", StringComparison.Ordinal);

        /// <summary>Big-endian types (__be16, __be32) hold numbers in network byte order.</summary>
        public bool IsBigEndian => Type.Contains("__be", StringComparison.Ordinal);

        public int ElementSize => ArrayLength > 0 ? Size / ArrayLength : Size;

        /// <summary>Bytes that hold a scalar's value: fewer than Size where the format stores a smaller C type
        /// in a wider slot (syscall arguments: `int flags` in 8 bytes).</summary>
        public int ValueSize => Narrowed(out int size, out _) ? size : Size;

        /// <summary>Whether the value is signed; for a narrowed value the C type decides, not the format's signed:0.</summary>
        public bool ValueSigned => Narrowed(out _, out bool signed) ? signed : Signed;

        private bool Narrowed(out int size, out bool signed) =>
            CIntegerTypes.TryGet(Type, out size, out signed) && ArrayLength == 0 && size < Size;

        public FieldKind Kind
        {
            get
            {
                bool chars = Type.EndsWith("char", StringComparison.Ordinal) && !Type.Contains("unsigned", StringComparison.Ordinal);
                if (IsDataLoc) return Type.Contains("char[]", StringComparison.Ordinal) ? FieldKind.String : FieldKind.DynamicBytes;
                if (ArrayLength > 0) return chars ? FieldKind.String : FieldKind.Array;
                if (Type.Contains('*', StringComparison.Ordinal)) return FieldKind.Pointer;
                return FieldKind.Integer;
            }
        }

        /// <summary>Parses "unsigned char comm[16]" with its offset, size and signedness; null if it is no declaration.</summary>
        internal static TracepointField? Parse(string declaration, int offset, int size, bool signed)
        {
            var match = Declaration().Match(declaration.Trim());
            if (!match.Success) return null;
            string type = match.Groups["type"].Value.Trim();
            int length = 0;
            if (match.Groups["length"].Success)
            {
                string text = match.Groups["length"].Value;
                // "comm[TASK_COMM_LEN]" may name a constant: then the element size is taken as 1.
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out length))
                    length = size;
            }
            return new TracepointField(match.Groups["name"].Value, type, offset, size, signed) { ArrayLength = length };
        }
    }
}
