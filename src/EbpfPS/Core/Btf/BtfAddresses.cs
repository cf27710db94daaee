using System;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;

namespace EbpfPS.Core.Btf
{
    /// <summary>Which struct members hold an IP address, and how to read one. C has no address type, so a
    /// member is taken for one when BTF says so as far as it can: <c>struct in_addr</c> / <c>struct in6_addr</c>,
    /// or a 4- or 16-byte array of bytes whose name says address (addr, saddr, source, dst, ip6...). A 16-byte
    /// field holds IPv4 in its first 4 bytes when a family member beside it says 4 or 2 (AF_INET).
    /// Integers (<c>__be32 saddr</c>) stay numbers: their byte order is not in BTF.</summary>
    internal static class BtfAddresses
    {
        private static readonly Regex AddressName = new(
            @"addr|^(src|dst|source|destination|ip|ip4|ip6|ipv4|ipv6|v4|v6)$|(^|_)(src|dst|ip|ip4|ip6)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>Whether a member of this name and type is read as an address.</summary>
        internal static bool IsAddress(BtfSpec spec, string name, uint type)
        {
            var resolved = spec.Resolve(type);
            int size = spec.SizeOf(type);
            if (size is not (4 or 16)) return false;
            if (resolved is BtfComposite { Name: "in_addr" or "in6_addr" }) return true;
            return resolved is BtfArray a && spec.Resolve(a.ElementType) is BtfInt { Size: 1, IsBool: false } element
                && !BtfDecoder.IsText(element) && AddressName.IsMatch(name);
        }

        /// <summary>The address in <paramref name="bytes"/> (4 or 16); IPv4 from the first 4 of 16 bytes when
        /// <paramref name="family"/> says IPv4 and the other 12 are zero.</summary>
        internal static IPAddress Read(ReadOnlySpan<byte> bytes, long? family)
        {
            if (bytes.Length == 16 && family is 2 or 4 && !bytes[4..].ContainsAnyExcept((byte)0)) return new IPAddress(bytes[..4]);
            return new IPAddress(bytes);
        }

        /// <summary>The family member that describes the address member <paramref name="name"/>: "NAME_family",
        /// else the only member whose name ends in "family".</summary>
        internal static string? FamilyOf(string name, string[] memberNames)
        {
            var own = memberNames.FirstOrDefault(m => string.Equals(m, name + "_family", StringComparison.OrdinalIgnoreCase)
                || string.Equals(m, name + "family", StringComparison.OrdinalIgnoreCase));
            if (own is not null) return own;
            var families = memberNames.Where(m => m.EndsWith("family", StringComparison.OrdinalIgnoreCase)).ToList();
            return families.Count == 1 ? families[0] : null;
        }

        /// <summary>A family member's value as a number: an integer, or AF_INET / AF_INET6 by name (an enum).</summary>
        internal static long? FamilyNumber(object? value) => value switch
        {
            "AF_INET" => 2,
            "AF_INET6" => 10,
            sbyte or byte or short or ushort or int or uint or long => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };

        /// <summary>The bytes of an address for a field of <paramref name="size"/> bytes: IPv4 in a 16-byte field
        /// takes its first 4 bytes, as <see cref="Read"/> reads it back; null when it does not fit.</summary>
        internal static byte[]? Bytes(IPAddress address, int size)
        {
            var bytes = address.GetAddressBytes();
            if (bytes.Length == size) return bytes;
            if (bytes.Length == 4 && size == 16)
            {
                var padded = new byte[16];
                bytes.CopyTo(padded, 0);
                return padded;
            }
            return null;
        }
    }
}
