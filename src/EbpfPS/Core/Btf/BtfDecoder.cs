using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;

namespace EbpfPS.Core.Btf
{
    /// <summary>Turns the bytes of a BTF-described value into plain .NET values:
    /// integers as the CLR type of their width and sign (128 bits as Int128/UInt128, bit fields as the
    /// type they are declared with), bool, enums by enumerator name (the number when none matches),
    /// char arrays as the string up to the first NUL, address members as IPAddress (see <see cref="BtfAddresses"/>),
    /// other byte arrays as byte[], other arrays as object[],
    /// structs, unions and data sections as <see cref="BtfRecord"/> (anonymous members flattened, as C
    /// reads them), pointers as their address (ulong), floats as float/double, and whatever has no
    /// layout (void, functions) as a byte[] copy. Typedefs and qualifiers are looked through.</summary>
    internal sealed class BtfDecoder
    {
        internal BtfDecoder(BtfSpec spec) => Spec = spec;

        internal BtfSpec Spec { get; }

        internal object? Decode(uint typeId, ReadOnlySpan<byte> data)
        {
            var type = Spec.Resolve(typeId);
            int size = Spec.SizeOf(typeId);
            if (data.Length < size)
                throw new ArgumentException($"{Spec.NameOf(typeId)} takes {size} bytes, only {data.Length} were given.", nameof(data));
            return type switch
            {
                BtfInt i => DecodeInt(i, data),
                BtfEnum e => DecodeEnum(e, data),
                BtfPointer => BinaryPrimitives.ReadUInt64LittleEndian(data),
                BtfFloat { Size: 4 } => BinaryPrimitives.ReadSingleLittleEndian(data),
                BtfFloat { Size: 8 } => BinaryPrimitives.ReadDoubleLittleEndian(data),
                BtfArray a => DecodeArray(a, data),
                BtfComposite c => DecodeComposite(c, data, new BtfRecord(Spec.NameOf(c.Id))),
                BtfSection s => DecodeSection(s, data),
                _ => data[..size].ToArray(),
            };
        }

        /// <summary>Whether an array of this element type reads as text: C's plain <c>char</c>.</summary>
        internal static bool IsText(BtfType element) => element is BtfInt { Size: 1 } i && (i.IsChar || i.Name == "char");

        private static object DecodeInt(BtfInt type, ReadOnlySpan<byte> data)
        {
            if (type.IsBool) return data[0] != 0;
            if (type.Bits > 0 && type.Bits < type.Size * 8) return DecodeBits(type, data, type.BitOffset, type.Bits);
            if (type.Size == 16)
            {
                var raw = BinaryPrimitives.ReadUInt128LittleEndian(data);
                return type.IsSigned ? (object)(Int128)raw : raw;
            }
            return Narrow(type, type.Size switch
            {
                1 => data[0],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(data),
                4 => BinaryPrimitives.ReadUInt32LittleEndian(data),
                _ => BinaryPrimitives.ReadUInt64LittleEndian(data),
            });
        }

        /// <summary>A bit field: <paramref name="bits"/> bits from <paramref name="bitOffset"/>, which may
        /// straddle the bytes of the declared type, as the declared type.</summary>
        private static object DecodeBits(BtfInt type, ReadOnlySpan<byte> data, int bitOffset, int bits)
        {
            Span<byte> window = stackalloc byte[16];
            window.Clear();
            int first = bitOffset / 8;
            data.Slice(first, Math.Min(data.Length - first, (bitOffset % 8 + bits + 7) / 8)).CopyTo(window);
            ulong value = (ulong)(BinaryPrimitives.ReadUInt128LittleEndian(window) >> (bitOffset % 8));
            if (bits < 64)
            {
                value &= (1UL << bits) - 1;
                if (type.IsSigned && (value & (1UL << (bits - 1))) != 0) value |= ~0UL << bits; // sign-extend
            }
            return type.IsBool ? value != 0 : Narrow(type, value);
        }

        private static object Narrow(BtfInt type, ulong raw) => (type.Size, type.IsSigned) switch
        {
            (1, true) => (sbyte)raw,
            (1, false) => (byte)raw,
            (2, true) => (short)raw,
            (2, false) => (ushort)raw,
            (4, true) => (int)raw,
            (4, false) => (uint)raw,
            (_, true) => (long)raw,
            _ => raw,
        };

        private static object DecodeEnum(BtfEnum type, ReadOnlySpan<byte> data) => EnumName(type, type.Size switch
        {
            1 => type.IsSigned ? (sbyte)data[0] : data[0],
            2 => type.IsSigned ? BinaryPrimitives.ReadInt16LittleEndian(data) : BinaryPrimitives.ReadUInt16LittleEndian(data),
            4 => type.IsSigned ? BinaryPrimitives.ReadInt32LittleEndian(data) : BinaryPrimitives.ReadUInt32LittleEndian(data),
            _ => BinaryPrimitives.ReadInt64LittleEndian(data),
        });

        /// <summary>The enumerator's name, or the number as an integer of the enum's size and sign.</summary>
        private static object EnumName(BtfEnum type, long value)
        {
            foreach (var enumerator in type.Values)
                if (enumerator.Value == value) return enumerator.Name;
            return Narrow(new BtfInt(type.Id, type.Name, type.Size, type.IsSigned, false, false, 0, 0), (ulong)value);
        }

        private object DecodeArray(BtfArray array, ReadOnlySpan<byte> data)
        {
            var element = Spec.Resolve(array.ElementType);
            int elementSize = Spec.SizeOf(array.ElementType);
            int length = array.Length * elementSize;
            if (IsText(element))
            {
                return CStrings.Read(data[..length]);
            }
            if (element is BtfInt { Size: 1, IsSigned: false, IsBool: false }) return data[..length].ToArray();
            var items = new object?[array.Length];
            for (int i = 0; i < items.Length; i++)
                items[i] = Decode(array.ElementType, data.Slice(i * elementSize, elementSize));
            return items;
        }

        private BtfRecord DecodeComposite(BtfComposite type, ReadOnlySpan<byte> data, BtfRecord into)
        {
            List<(string Name, byte[] Bytes)>? addresses = null;
            foreach (var member in type.Members)
            {
                var memberType = Spec.Resolve(member.Type);
                if (member.BitfieldSize > 0 && memberType is BtfInt bitfield)
                {
                    into.Add(member.Name, DecodeBits(bitfield, data, member.BitOffset, member.BitfieldSize));
                    continue;
                }
                if (member.BitfieldSize > 0 && memberType is BtfEnum enumBits)
                {
                    var asInt = new BtfInt(enumBits.Id, enumBits.Name, 8, enumBits.IsSigned, false, false, 0, 0);
                    into.Add(member.Name, EnumName(enumBits, Convert.ToInt64(DecodeBits(asInt, data, member.BitOffset, member.BitfieldSize))));
                    continue;
                }
                var bytes = data[(member.BitOffset / 8)..];
                if (member.Name.Length == 0 && memberType is BtfComposite anonymous)
                    DecodeComposite(anonymous, bytes, into);
                else if (BtfAddresses.IsAddress(Spec, member.Name, member.Type))
                {
                    (addresses ??= new()).Add((member.Name, bytes[..Spec.SizeOf(member.Type)].ToArray()));
                    into.Add(member.Name, null); // read once the family member, which may come later, is
                }
                else
                    into.Add(member.Name, Decode(member.Type, bytes));
            }
            foreach (var (name, raw) in addresses ?? new())
            {
                var family = BtfAddresses.FamilyOf(name, into.Select(f => f.Key).ToArray()) is { } familyName ? into[familyName] : null;
                into.Set(name, BtfAddresses.Read(raw, BtfAddresses.FamilyNumber(family)));
            }
            return into;
        }

        private BtfRecord DecodeSection(BtfSection section, ReadOnlySpan<byte> data)
        {
            var record = new BtfRecord(section.Name);
            foreach (var variable in section.Variables)
                if (variable.Offset + variable.Size <= data.Length)
                    record.Add(Spec[variable.Type].Name, Decode(variable.Type, data.Slice(variable.Offset, variable.Size)));
            return record;
        }
    }
}
