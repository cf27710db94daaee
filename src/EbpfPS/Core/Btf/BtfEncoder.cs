using System;
using System.Buffers.Binary;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Numerics;
using System.Text;

namespace EbpfPS.Core.Btf
{
    /// <summary>The reverse of <see cref="BtfDecoder"/>: writes a plain .NET value as the bytes of a BTF type.
    /// Accepts what the decoder gives back and what a user types: numbers of any CLR type or as text
    /// ("42", "0x2a"), enumerator names, strings for char arrays, byte[] / hex text ("02:fc:00:00:00:01") /
    /// an address (IPAddress or its text; IPv4 in a 16-byte array fills its first 4 bytes, as the decoder reads it)
    /// for byte arrays and struct in_addr/in6_addr, lists for arrays, and dictionaries or <see cref="BtfRecord"/>s for structs
    /// and unions (field names ignore case; fields left out are zero). A byte[] exactly as long as the type
    /// is copied as it is. A value that does not fit throws <see cref="BtfValueException"/>.</summary>
    internal sealed class BtfEncoder
    {
        internal BtfEncoder(BtfSpec spec) => Spec = spec;

        internal BtfSpec Spec { get; }

        internal byte[] Encode(uint typeId, object? value)
        {
            var bytes = new byte[Spec.SizeOf(typeId)];
            Encode(typeId, value, bytes, "");
            return bytes;
        }

        private void Encode(uint typeId, object? value, Span<byte> into, string path)
        {
            if (value is null) return;
            int size = Spec.SizeOf(typeId);
            if (value is byte[] exact && exact.Length == size && Spec.Resolve(typeId) is not BtfArray)
            {
                exact.CopyTo(into);
                return;
            }
            if (Spec.Resolve(typeId) is BtfComposite { Name: "in_addr" or "in6_addr" } && AsAddress(value) is { } address
                && BtfAddresses.Bytes(address, size) is { } addressBytes)
            {
                addressBytes.CopyTo(into);
                return;
            }
            switch (Spec.Resolve(typeId))
            {
                case BtfInt i:
                    WriteInteger(i.Size, ToInteger(value, i.IsBool ? "bool" : Spec.NameOf(typeId), i.Size, i.IsSigned, path, i.IsBool ? 1 : 0), into);
                    break;
                case BtfEnum e:
                    WriteInteger(e.Size, EnumValue(e, value, path), into);
                    break;
                case BtfPointer:
                    WriteInteger(8, ToInteger(value, "a pointer", 8, false, path), into);
                    break;
                case BtfFloat f:
                    double number = ToDouble(value, path);
                    if (f.Size == 4) BinaryPrimitives.WriteSingleLittleEndian(into, (float)number);
                    else BinaryPrimitives.WriteDoubleLittleEndian(into, number);
                    break;
                case BtfArray a:
                    EncodeArray(a, value, into[..size], path);
                    break;
                case BtfComposite c:
                    foreach (var (name, fieldValue) in Fields(value, Spec.NameOf(typeId), path))
                        EncodeMember(c, name, fieldValue, into, path);
                    break;
                case BtfSection s:
                    foreach (var (name, fieldValue) in Fields(value, s.Name, path))
                    {
                        var variable = s.Variables.FirstOrDefault(v => string.Equals(Spec[v.Type].Name, name, StringComparison.OrdinalIgnoreCase));
                        if (variable.Type == 0)
                            throw new BtfValueException(Join(path, name), $"{s.Name} has no variable '{name}'; it has {string.Join(", ", s.Variables.Select(v => Spec[v.Type].Name))}.");
                        Encode(variable.Type, fieldValue, into.Slice(variable.Offset, variable.Size), Join(path, Spec[variable.Type].Name));
                    }
                    break;
                default:
                    throw new BtfValueException(path, $"{Spec.NameOf(typeId)} has no layout to write; give a byte[] of {size} bytes.");
            }
        }

        private void EncodeArray(BtfArray array, object value, Span<byte> into, string path)
        {
            var element = Spec.Resolve(array.ElementType);
            bool bytes = element is BtfInt { Size: 1, IsBool: false };
            if (BtfDecoder.IsText(element) && value is string text)
            {
                // a C string ends in a NUL: char[8] holds 7 bytes of text (give a byte[] to fill all 8)
                int count = Encoding.UTF8.GetByteCount(text);
                if (count >= array.Length)
                    throw new BtfValueException(path, $"'{text}' is {count} bytes in UTF-8; {Spec.NameOf(array.Id)} holds {array.Length - 1} and the NUL that ends it.");
                Encoding.UTF8.GetBytes(text, into);
                return;
            }
            if (bytes && AsBytes(value) is { } raw)
            {
                if (raw.Length != array.Length && AsAddress(value) is { } address && BtfAddresses.Bytes(address, array.Length) is { } fitted)
                    raw = fitted; // IPv4 in a 16-byte field, as the decoder reads it

                if (raw.Length != array.Length)
                    throw new BtfValueException(path, $"{raw.Length} bytes were given for {Spec.NameOf(array.Id)}, which takes {array.Length}.");
                raw.CopyTo(into);
                return;
            }
            if (value is string || value is not IEnumerable items)
                throw new BtfValueException(path, $"{Spec.NameOf(array.Id)} takes a list of up to {array.Length} values, not '{value}'.");
            int elementSize = Spec.SizeOf(array.ElementType), index = 0;
            foreach (var item in items)
            {
                if (index == array.Length)
                    throw new BtfValueException(path, $"more than {array.Length} values were given for {Spec.NameOf(array.Id)}.");
                Encode(array.ElementType, item, into.Slice(index * elementSize, elementSize), $"{path}[{index}]");
                index++;
            }
        }

        /// <summary>Writes one named member, looking into anonymous structs and unions as C does.</summary>
        private void EncodeMember(BtfComposite type, string name, object? value, Span<byte> into, string path)
        {
            if (!TryEncodeMember(type, name, value, into, path))
                throw new BtfValueException(Join(path, name),
                    $"{Spec.NameOf(type.Id)} has no field '{name}'; its fields are {string.Join(", ", MemberNames(type))}.");
        }

        private bool TryEncodeMember(BtfComposite type, string name, object? value, Span<byte> into, string path)
        {
            foreach (var member in type.Members)
            {
                var memberType = Spec.Resolve(member.Type);
                if (member.Name.Length == 0 && memberType is BtfComposite anonymous)
                {
                    if (TryEncodeMember(anonymous, name, value, into[(member.BitOffset / 8)..], path)) return true;
                    continue;
                }
                if (!string.Equals(member.Name, name, StringComparison.OrdinalIgnoreCase)) continue;
                string memberPath = Join(path, member.Name);
                if (value is null) return true; // left zero
                if (member.BitfieldSize > 0 && memberType is BtfInt bitfield)
                    WriteBits(member, ToInteger(value, $"a {member.BitfieldSize}-bit field", 0, bitfield.IsSigned && !bitfield.IsBool, memberPath, member.BitfieldSize), into);
                else if (member.BitfieldSize > 0 && memberType is BtfEnum enumBits)
                    WriteBits(member, ToInteger(EnumValue(enumBits, value, memberPath), $"a {member.BitfieldSize}-bit field", 0, enumBits.IsSigned, memberPath, member.BitfieldSize), into);
                else
                    Encode(member.Type, value, into[(member.BitOffset / 8)..], memberPath);
                return true;
            }
            return false;
        }

        private IEnumerable<string> MemberNames(BtfComposite type) => type.Members.SelectMany(m =>
            m.Name.Length == 0 && Spec.Resolve(m.Type) is BtfComposite anonymous ? MemberNames(anonymous) : new[] { m.Name });

        private static IEnumerable<(string Name, object? Value)> Fields(object value, string typeName, string path)
        {
            switch (value)
            {
                case BtfRecord record:
                    return record.Select(f => (f.Key, f.Value));
                case IDictionary dictionary:
                    return dictionary.Keys.Cast<object>().Select(k => (k.ToString() ?? "", dictionary[k]));
                case IEnumerable<KeyValuePair<string, object?>> pairs:
                    return pairs.Select(p => (p.Key, p.Value));
                default:
                    throw new BtfValueException(path, $"{typeName} takes a hashtable of its fields, e.g. @{{ field = 1 }}, not '{value}'.");
            }
        }

        /// <summary>Little-endian two's complement in exactly <paramref name="size"/> bytes (the value was range-checked).</summary>
        internal static void WriteInteger(int size, BigInteger value, Span<byte> into)
        {
            into[..size].Fill(value.Sign < 0 ? (byte)0xff : (byte)0);
            value.TryWriteBytes(into[..size], out _, isUnsigned: value.Sign >= 0);
        }

        private static void WriteBits(BtfMember member, BigInteger value, Span<byte> into)
        {
            Span<byte> window = stackalloc byte[16];
            window.Clear();
            int first = member.BitOffset / 8, shift = member.BitOffset % 8;
            int count = Math.Min(into.Length - first, (shift + member.BitfieldSize + 7) / 8);
            into.Slice(first, count).CopyTo(window);
            UInt128 mask = ((UInt128.One << member.BitfieldSize) - 1) << shift;
            UInt128 bits = ((UInt128)(value & ((BigInteger.One << member.BitfieldSize) - 1)) << shift) & mask;
            BinaryPrimitives.WriteUInt128LittleEndian(window, (BinaryPrimitives.ReadUInt128LittleEndian(window) & ~mask) | bits);
            window[..count].CopyTo(into[first..]);
        }

        private BigInteger EnumValue(BtfEnum type, object value, string path)
        {
            if (value is string name && !LooksNumeric(name))
            {
                var match = type.Values.FirstOrDefault(v => v.Name == name);
                if (match.Name is null) match = type.Values.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));
                if (match.Name is null)
                    throw new BtfValueException(path, $"'{name}' is not a value of {Spec.NameOf(type.Id)}: {string.Join(", ", type.Values.Select(v => v.Name))}.");
                return type.IsSigned ? match.Value : (BigInteger)(ulong)match.Value;
            }
            return ToInteger(value, Spec.NameOf(type.Id), type.Size, type.IsSigned, path);
        }

        private static bool LooksNumeric(string text) =>
            text.Length > 0 && (char.IsDigit(text[0]) || (text[0] == '-' && text.Length > 1 && char.IsDigit(text[1])));

        /// <summary>An integer for a type of <paramref name="size"/> bytes (or <paramref name="bits"/> bits), range-checked.</summary>
        internal static BigInteger ToInteger(object value, string typeName, int size, bool signed, string path, int bits = 0)
        {
            BigInteger? number = value switch
            {
                bool b => b ? 1 : 0,
                char c => c,
                sbyte or short or int or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                byte or ushort or uint or ulong => Convert.ToUInt64(value, CultureInfo.InvariantCulture),
                Int128 i => i,
                UInt128 u => u,
                BigInteger big => big,
                float or double or decimal => Integral(value),
                Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture),
                string text => Parse(text.Trim()),
                _ => null,
            };
            if (number is not { } n)
                throw new BtfValueException(path, $"'{value}' is not a number for {typeName}.");
            int width = bits > 0 ? bits : size * 8;
            BigInteger min = signed ? -(BigInteger.One << (width - 1)) : 0;
            BigInteger max = (BigInteger.One << (signed ? width - 1 : width)) - 1;
            if (n < min || n > max)
                throw new BtfValueException(path, $"{n} does not fit in {typeName} ({min} to {max}).");
            return n;
        }

        private static BigInteger? Integral(object value)
        {
            double number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            return double.IsFinite(number) && Math.Floor(number) == number ? new BigInteger(number) : null;
        }

        private static BigInteger? Parse(string text)
        {
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                return BigInteger.TryParse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) ? hex : null;
            if (bool.TryParse(text, out bool flag)) return flag ? 1 : 0;
            return BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;
        }

        private static double ToDouble(object value, string path)
        {
            try { return Convert.ToDouble(value, CultureInfo.InvariantCulture); }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                throw new BtfValueException(path, $"'{value}' is not a number.");
            }
        }

        /// <summary>Bytes given as bytes: byte[], an IPAddress, or hex text with optional ':', '-' or ' ' separators.</summary>
        internal static byte[]? AsBytes(object value) => value switch
        {
            byte[] bytes => bytes,
            _ when AsAddress(value) is { } address => address.GetAddressBytes(),
            string text => Hex.TryParse(text),
            _ => null,
        };

        /// <summary>An address given as an IPAddress or as text ("10.0.0.1", "2001:db8::1"); text of hex pairs
        /// ("02:fc:00:01") is bytes, not an IPv6 address.</summary>
        internal static IPAddress? AsAddress(object? value) => value switch
        {
            IPAddress address => address,
            string text when (text.Contains('.') || (text.Contains(':') && text.Split(':').Any(group => group.Length != 2)))
                && IPAddress.TryParse(text, out var address) => address,
            _ => null,
        };

        private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
    }
}
