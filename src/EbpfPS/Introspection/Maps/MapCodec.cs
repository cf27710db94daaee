using System;
using System.Linq;
using System.Net;
using System.Numerics;
using EbpfPS.Core.Btf;
using EbpfPS.Core;

namespace EbpfPS.Introspection.Maps
{
    /// <summary>Keys and values of one map as .NET values and back: through the map's BTF where it has one
    /// (see <see cref="BtfDecoder"/>), as byte[] where it has none, and LPM trie keys as <see cref="BpfLpmKey"/>.
    /// A per-CPU value is decoded and encoded one CPU at a time.</summary>
    internal sealed class MapCodec
    {
        private readonly BpfMapInfo _info;
        private readonly BtfSpec? _btf;
        private readonly bool _lpm;
        private readonly LpmKeyLayout? _lpmLayout;

        internal MapCodec(BpfMapInfo info, BtfSpec? btf)
        {
            _info = info;
            _btf = btf;
            _lpm = info.TypeId == MapTypes.LpmTrie && info.KeySize > 4;
            if (btf is not null)
            {
                Decoder = new BtfDecoder(btf);
                Encoder = new BtfEncoder(btf);
                if (_lpm && KeyType != 0) _lpmLayout = LpmKeyLayout.Of(btf, KeyType);
            }
        }

        /// <summary>The codec of a map, with its BTF fetched from the kernel (plain bytes when there is none).</summary>
        internal static MapCodec For(BpfMapInfo info) => new(info, BtfLoader.TryFromKernel(info.BtfId));

        internal BtfDecoder? Decoder { get; }
        internal BtfEncoder? Encoder { get; }
        private uint KeyType => _btf is null || _info.BtfKeyTypeId >= _btf.Count ? 0 : _info.BtfKeyTypeId;
        private uint ValueType => _btf is null || _info.BtfValueTypeId >= _btf.Count ? 0 : _info.BtfValueTypeId;

        /// <summary>Whether values are decoded through BTF (and so can be summed across CPUs).</summary>
        internal bool ValueIsTyped => ValueType != 0;

        internal object? DecodeKey(ReadOnlySpan<byte> key)
        {
            if (_lpm) return _lpmLayout?.Decode(key) ?? new BpfLpmKey(BitConverter.ToUInt32(key), key[4..].ToArray());
            return KeyType != 0 ? Decoder!.Decode(KeyType, key) : key.ToArray();
        }

        internal object? DecodeValue(ReadOnlySpan<byte> value) =>
            ValueType != 0 ? Decoder!.Decode(ValueType, value) : value.ToArray();

        internal byte[] EncodeKey(object? key)
        {
            if (_lpm && LpmKey(key) is { } lpm) return lpm;
            return Encode(key, KeyType, (int)_info.KeySize, "key", BpfErrorIds.BpfMapKeyInvalid);
        }

        internal byte[] EncodeValue(object? value) =>
            Encode(value, ValueType, (int)_info.ValueSize, "value", BpfErrorIds.BpfMapValueInvalid);

        private byte[] Encode(object? value, uint type, int size, string part, string errorId)
        {
            string map = $"map '{_info.Name}' (id {_info.Id})";
            if (value is null)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"No {part} was given for {map}.", Hint(type, size, part)) { ErrorId = errorId };
            try
            {
                if (type != 0) return Encoder!.Encode(type, value);
                return EncodeBytes(value, size);
            }
            catch (BtfValueException e)
            {
                throw new BpfException(BpfErrorKind.InvalidArgument, $"The {part} '{Text(value)}' does not fit {map}: {e.Message}", Hint(type, size, part)) { ErrorId = errorId };
            }
        }

        /// <summary>A key or value of a map without BTF: bytes, hex text, an address or a little-endian number.</summary>
        private static byte[] EncodeBytes(object value, int size)
        {
            if (BtfEncoder.AsBytes(value) is { } bytes && (bytes.Length == size || value is byte[] || value is IPAddress))
            {
                if (bytes.Length != size) throw new BtfValueException("", $"{bytes.Length} bytes were given; it takes {size}.");
                return bytes;
            }
            BigInteger number;
            try { number = BtfEncoder.ToInteger(value, $"{size} bytes", size, signed: false, ""); }
            catch (BtfValueException) { number = BtfEncoder.ToInteger(value, $"{size} bytes", size, signed: true, ""); }
            var result = new byte[size];
            BtfEncoder.WriteInteger(size, number, result);
            return result;
        }

        /// <summary>An LPM trie key from the text Read-BpfMap shows ("10.1.0.0/16", "2001:db8::/32",
        /// "203.0.113.0/24 direction=1", "0a0b0c/20") or a BpfLpmKey; null for anything else (a hashtable of
        /// the key struct's fields goes through BTF).</summary>
        private byte[]? LpmKey(object? key)
        {
            uint prefix;
            byte[] data;
            switch (key)
            {
                case BpfLpmKey lpm:
                    (prefix, data) = (lpm.PrefixLength, lpm.Data);
                    break;
                case string text when _lpmLayout is not null:
                    try { return _lpmLayout.Encode(text); }
                    catch (BtfValueException e)
                    {
                        throw new BpfException(BpfErrorKind.InvalidArgument, $"The key '{text}' does not fit LPM trie '{_info.Name}' (id {_info.Id}): {e.Message}",
                            Hint(KeyType, (int)_info.KeySize, "key")) { ErrorId = BpfErrorIds.BpfMapKeyInvalid };
                    }
                case string text when text.LastIndexOf('/') is int slash and > 0
                    && uint.TryParse(text[(slash + 1)..], out prefix)
                    && ((IPAddress.TryParse(text[..slash], out var address) ? address.GetAddressBytes() : Hex.TryParse(text[..slash])) is { } parsed):
                    data = parsed;
                    break;
                default:
                    return null;
            }
            int dataSize = (int)_info.KeySize - 4;
            if (data.Length != dataSize || prefix > dataSize * 8)
                throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"The key '{Text(key)}' does not fit LPM trie '{_info.Name}' (id {_info.Id}), whose keys hold {dataSize} bytes and a prefix of 0 to {dataSize * 8} bits.",
                    Hint(KeyType, (int)_info.KeySize, "key")) { ErrorId = BpfErrorIds.BpfMapKeyInvalid };
            var result = new byte[_info.KeySize];
            BitConverter.TryWriteBytes(result, prefix);
            data.CopyTo(result, 4);
            return result;
        }

        /// <summary>What a key or value of this map looks like, as advice for a value that did not fit.</summary>
        private string Hint(uint type, int size, string part)
        {
            string lpm = !_lpm || part != "key" ? ""
                : $"Give a prefix such as {_lpmLayout?.Example ?? $"'{(size == 8 ? "10.1.0.0/16" : size == 20 ? "2001:db8::/32" : "0a0b/16")}'"}. ";
            if (type == 0)
                return lpm + $"The map has no BTF for its {part}s: give {size} bytes as a byte[], hex text such as '{Hex.Format(new byte[Math.Min(size, 4)])}', or a number.";
            var btf = _btf!;
            string example = btf.Resolve(type) switch
            {
                BtfComposite c => "a hashtable of its fields, e.g. @{ " + string.Join("; ", c.Members.Take(3).Select(m => $"{(m.Name.Length > 0 ? m.Name : "...")} = ...")) + " }",
                BtfEnum e => "one of " + string.Join(", ", e.Values.Take(8).Select(v => v.Name)) + ", or a number",
                BtfArray a when BtfDecoder.IsText(btf.Resolve(a.ElementType)) => $"a string of up to {a.Length} bytes",
                BtfArray a => $"a list of up to {a.Length} values",
                _ => "a number",
            };
            return lpm + $"Its {part} is {btf.NameOf(type)}: give {example}.";
        }

        /// <summary>A key or value as a message shows it.</summary>
        internal static string Text(object? value) => value switch
        {
            byte[] bytes => Hex.Format(bytes),
            System.Collections.IDictionary d => "@{" + string.Join("; ", d.Keys.Cast<object>().Select(k => $"{k}={d[k]}")) + "}",
            _ => value?.ToString() ?? "",
        };
    }
}
