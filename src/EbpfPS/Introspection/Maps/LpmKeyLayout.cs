using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Net;
using EbpfPS.Core.Btf;

namespace EbpfPS.Introspection.Maps
{
    /// <summary>An LPM trie key whose BTF says it holds an address prefix: a struct of a 32-bit prefix length
    /// first, an address of 4 or 16 bytes last, and plain integer fields between them (such as the XDP
    /// filter's generation, direction and family). Its text is "ADDRESS/BITS" — BITS counting address bits
    /// only — then "name=value" for each field between that is not implied: zero, or for a family field the
    /// address's IP version (4 or 6). A prefix that stops before the address reads "prefixlen=N name=value".</summary>
    internal sealed class LpmKeyLayout
    {
        private readonly BtfSpec _spec;
        private readonly string _prefixName;
        private readonly IReadOnlyList<(string Name, uint Type, int Offset, int Size)> _fields;
        private readonly int _addressOffset, _addressSize;
        private readonly string? _family;

        private LpmKeyLayout(BtfSpec spec, string prefixName, List<(string, uint, int, int)> fields, int addressOffset, int addressSize)
        {
            _spec = spec;
            _prefixName = prefixName;
            _fields = fields;
            _addressOffset = addressOffset;
            _addressSize = addressSize;
            _family = BtfAddresses.FamilyOf("", fields.Select(f => f.Item1).ToArray());
        }

        /// <summary>Bits of the fields between the prefix length and the address.</summary>
        private int HeadBits => (_addressOffset - 4) * 8;

        /// <summary>The layout of <paramref name="keyType"/>, or null when it is not an address prefix.</summary>
        internal static LpmKeyLayout? Of(BtfSpec spec, uint keyType)
        {
            if (spec.Resolve(keyType) is not BtfComposite { IsUnion: false } key || key.Members.Count < 2) return null;
            var first = key.Members[0];
            if (first.BitOffset != 0 || first.BitfieldSize != 0 || spec.Resolve(first.Type) is not BtfInt { Size: 4 }) return null;
            var last = key.Members[^1];
            int addressSize = spec.SizeOf(last.Type);
            bool addressType = spec.Resolve(last.Type) is BtfComposite { Name: "in_addr" or "in6_addr" }
                || (spec.Resolve(last.Type) is BtfArray a && spec.Resolve(a.ElementType) is BtfInt { Size: 1, IsBool: false });
            if (!addressType || addressSize is not (4 or 16) || last.BitOffset % 8 != 0 || last.BitOffset / 8 + addressSize != key.Size) return null;
            var fields = new List<(string, uint, int, int)>();
            foreach (var member in key.Members.Skip(1).SkipLast(1))
            {
                if (member.Name.Length == 0 || member.BitfieldSize != 0 || spec.Resolve(member.Type) is not (BtfInt or BtfEnum)) return null;
                fields.Add((member.Name, member.Type, member.BitOffset / 8, spec.SizeOf(member.Type)));
            }
            return new LpmKeyLayout(spec, first.Name, fields, last.BitOffset / 8, addressSize);
        }

        internal BpfLpmKey Decode(ReadOnlySpan<byte> key)
        {
            uint prefixLength = BinaryPrimitives.ReadUInt32LittleEndian(key);
            var decoder = new BtfDecoder(_spec);
            var fields = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, type, offset, _) in _fields) fields[name] = decoder.Decode(type, key[offset..]);
            var address = BtfAddresses.Read(key.Slice(_addressOffset, _addressSize), _family is null ? null : BtfAddresses.FamilyNumber(fields[_family]));
            int addressBits = (int)prefixLength - HeadBits;
            bool reachesAddress = addressBits >= 0;

            var parts = new List<string> { reachesAddress ? $"{address}/{addressBits}" : $"{_prefixName}={prefixLength}" };
            foreach (var (name, _, offset, size) in _fields)
            {
                bool zero = !key.Slice(offset, size).ContainsAnyExcept((byte)0);
                bool implied = name == _family && reachesAddress ? Equals(BtfAddresses.FamilyNumber(fields[name]), (long)Version(address)) : zero;
                if (!implied) parts.Add($"{name}={fields[name]}");
            }
            return new BpfLpmKey(prefixLength, key[4..].ToArray(), reachesAddress ? address : null, reachesAddress ? addressBits : null,
                _fields.Count > 0 ? fields : null, string.Join(" ", parts));
        }

        /// <summary>The key that <see cref="Decode"/> shows as <paramref name="text"/>; fields left out are zero
        /// (a family field: the address's IP version).</summary>
        internal byte[] Encode(string text)
        {
            var key = new byte[_addressOffset + _addressSize];
            var encoder = new BtfEncoder(_spec);
            uint? prefixLength = null;
            IPAddress? address = null;
            int addressBits = 0;
            bool familyGiven = false;
            foreach (var token in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = token.IndexOf('=');
                if (equals > 0)
                {
                    string name = token[..equals], value = token[(equals + 1)..];
                    if (string.Equals(name, _prefixName, StringComparison.OrdinalIgnoreCase))
                    {
                        prefixLength = uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= (key.Length - 4) * 8 ? n
                            : throw new BtfValueException(_prefixName, $"'{value}' is not a prefix length from 0 to {(key.Length - 4) * 8}.");
                        continue;
                    }
                    var field = _fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
                    if (field.Name is null)
                        throw new BtfValueException(name, $"the key has no field '{name}'; its fields are {string.Join(", ", _fields.Select(f => f.Name).Prepend(_prefixName))}.");
                    encoder.Encode(field.Type, value).CopyTo(key, field.Offset);
                    familyGiven |= field.Name == _family;
                    continue;
                }
                int slash = token.LastIndexOf('/');
                if (slash <= 0 || !IPAddress.TryParse(token[..slash], out address)
                    || !int.TryParse(token[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out addressBits))
                    throw new BtfValueException("", $"'{token}' is neither an address prefix such as 10.1.0.0/16 nor a field such as name=value.");
            }
            if (address is not null)
            {
                var bytes = BtfAddresses.Bytes(address, _addressSize);
                if (bytes is null || (bytes.Length == 16 && Version(address) == 4 && _family is null))
                    throw new BtfValueException("", $"the key's address holds {(_addressSize == 4 ? "IPv4" : "IPv6")} addresses, not {address}.");
                if (addressBits > address.GetAddressBytes().Length * 8)
                    throw new BtfValueException("", $"an {(Version(address) == 4 ? "IPv4" : "IPv6")} prefix has 0 to {address.GetAddressBytes().Length * 8} bits, not {addressBits}.");
                bytes.CopyTo(key, _addressOffset);
                prefixLength ??= (uint)(HeadBits + addressBits);
                if (_family is not null && !familyGiven)
                {
                    var family = _fields.First(f => f.Name == _family);
                    encoder.Encode(family.Type, Version(address)).CopyTo(key, family.Offset);
                }
            }
            if (prefixLength is not { } length)
                throw new BtfValueException("", $"give an address prefix such as {Example}, or {_prefixName}=N.");
            BinaryPrimitives.WriteUInt32LittleEndian(key, length);
            return key;
        }

        /// <summary>Keys as the advice of an error shows them.</summary>
        internal string Example
        {
            get
            {
                string prefix = _addressSize == 4 || _family is not null ? "10.1.0.0/16" : "2001:db8::/32";
                string? other = _fields.Select(f => f.Name).FirstOrDefault(n => n != _family);
                return other is null ? $"'{prefix}'" : $"'{prefix}' or '{prefix} {other}=1'";
            }
        }

        private static int Version(IPAddress address) => address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 4 : 6;
    }
}
