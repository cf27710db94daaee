using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace EbpfPS.Core.TraceFs
{
    /// <summary>A decoded field: its name and a plain .NET value (number, string, array, bytes; an address as its text).</summary>
    internal readonly record struct FieldValue(string Name, object? Value);

    /// <summary>Decodes raw tracepoint records by their format file. Numbers with names in the print
    /// format come out as the name plus a NAMEValue twin with the number.</summary>
    internal sealed class TracepointDecoder
    {
        internal const string NumberTwinSuffix = "Value";

        private readonly TracepointFormat _format;
        private readonly List<TracepointField> _fields;

        internal TracepointDecoder(TracepointFormat format)
        {
            _format = format;
            _fields = new List<TracepointField>(format.OwnFields);
        }

        internal TracepointFormat Format => _format;

        internal List<FieldValue> Decode(ReadOnlySpan<byte> record)
        {
            var values = new List<FieldValue>(_fields.Count + 2);
            foreach (var field in _fields)
            {
                bool named = field.Kind == FieldKind.Integer
                    && (_format.Print.Symbols.ContainsKey(field.Name) || _format.Print.FlagNames.ContainsKey(field.Name));
                if (field.Offset + field.Size > record.Length)
                {
                    // Cut off: the record was truncated. Still every property, so all events of a tracepoint look alike.
                    values.Add(new FieldValue(field.Name, null));
                    if (named) values.Add(new FieldValue(field.Name + NumberTwinSuffix, null));
                    continue;
                }
                var bytes = record.Slice(field.Offset, field.Size);
                if (named)
                {
                    object raw = Integer(field, bytes);
                    long number = raw is ulong u ? unchecked((long)u) : Convert.ToInt64(raw, CultureInfo.InvariantCulture);
                    values.Add(new FieldValue(field.Name, Name(field, number)));
                    values.Add(new FieldValue(field.Name + NumberTwinSuffix, number));
                    continue;
                }
                values.Add(new FieldValue(field.Name, Value(field, bytes, record)));
            }
            return values;
        }

        /// <summary>One fixed field from its own bytes, as <see cref="Decode"/> gives it (a named number by its name).</summary>
        internal object? Field(TracepointField field, ReadOnlySpan<byte> bytes)
        {
            if (field.Kind == FieldKind.Integer && (_format.Print.Symbols.ContainsKey(field.Name) || _format.Print.FlagNames.ContainsKey(field.Name)))
            {
                object raw = Integer(field, bytes);
                return Name(field, raw is ulong u ? unchecked((long)u) : Convert.ToInt64(raw, CultureInfo.InvariantCulture));
            }
            return Value(field, bytes, ReadOnlySpan<byte>.Empty);
        }

        /// <summary>What the kernel would print for a named number: its symbol (or the number when it has
        /// none), or its flag names joined as __print_flags joins them.</summary>
        private string Name(TracepointField field, long number)
        {
            if (_format.Print.Symbols.TryGetValue(field.Name, out var names))
                return names.TryGetValue(number, out var name) ? name : number.ToString(CultureInfo.InvariantCulture);
            return _format.Print.FlagNames[field.Name].Format(unchecked((ulong)number));
        }

        private object? Value(TracepointField field, ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> record)
        {
            switch (field.Kind)
            {
                case FieldKind.Integer:
                    return Integer(field, bytes);
                case FieldKind.Pointer:
                    return field.Size == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
                case FieldKind.String when field.IsDataLoc:
                    return CStrings.Read(DataLoc(bytes, record));
                case FieldKind.String:
                    return CStrings.Read(bytes);
                case FieldKind.DynamicBytes:
                    return DataLoc(bytes, record).ToArray();
                default:
                    // Text, not IPAddress: ConvertTo-Json writes an IPAddress as an object of its properties
                    // (as Get-NetTCPConnection, and as Read-BpfMap's addresses).
                    if (_format.Print.Addresses.TryGetValue(field.Name, out int version) && bytes.Length == (version == 4 ? 4 : 16))
                        return new IPAddress(bytes).ToString();
                    return Array(field, bytes);
            }
        }

        /// <summary>A __data_loc word: offset in the low 16 bits, length in the high 16, relative to the record.</summary>
        private static ReadOnlySpan<byte> DataLoc(ReadOnlySpan<byte> word, ReadOnlySpan<byte> record)
        {
            uint loc = BinaryPrimitives.ReadUInt32LittleEndian(word);
            int offset = (int)(loc & 0xffff), length = (int)(loc >> 16);
            if (offset >= record.Length) return ReadOnlySpan<byte>.Empty;
            return record.Slice(offset, Math.Min(length, record.Length - offset));
        }

        private static object Integer(TracepointField field, ReadOnlySpan<byte> b) =>
            Integer(b[..field.ValueSize], field.ValueSize, field.ValueSigned, field.IsBigEndian);

        internal static object Integer(ReadOnlySpan<byte> b, int size, bool signed, bool bigEndian = false) => (size, signed) switch
        {
            (1, true) => (sbyte)b[0],
            (1, false) => b[0],
            (2, true) => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
            (2, false) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
            (4, true) => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
            (4, false) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
            (8, true) => bigEndian ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b),
            (8, false) => bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b),
            _ => b.ToArray(),
        };

        private static object Array(TracepointField field, ReadOnlySpan<byte> bytes)
        {
            int size = field.ElementSize;
            if (size is not (1 or 2 or 4 or 8) || (size == 1 && !field.Signed)) return bytes.ToArray();
            var items = new object[field.ArrayLength];
            for (int i = 0; i < items.Length; i++)
                items[i] = Integer(bytes.Slice(i * size, size), size, field.Signed, field.IsBigEndian);
            return items;
        }
    }
}
