using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EbpfPS.Core;

namespace EbpfPS.Xdp
{
    /// <summary>An IPv4 or IPv6 network in CIDR notation (10.0.0.0/8, 2001:db8::/32), or one address
    /// (10.0.0.1 is 10.0.0.1/32).</summary>
    internal readonly record struct IpPrefix(IPAddress Network, int Length)
    {
        internal int Family => Network.AddressFamily == AddressFamily.InterNetwork ? 4 : 6;

        internal static int MaxLength(int family) => family == 4 ? 32 : 128;

        internal static IpPrefix Parse(string text)
        {
            string trimmed = text.Trim();
            int slash = trimmed.IndexOf('/');
            string address = slash < 0 ? trimmed : trimmed[..slash];
            if (!TryParseAddress(address, out var network))
                throw Invalid($"'{text}' is not an IPv4 or IPv6 address or prefix.");
            int max = MaxLength(network.AddressFamily == AddressFamily.InterNetwork ? 4 : 6);
            int length = max;
            if (slash >= 0 && (!int.TryParse(trimmed[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > max))
                throw Invalid($"'{text}' has no valid prefix length: it must be a number from 0 to {max}.");
            var prefix = new IpPrefix(network, length);
            var masked = prefix.Masked();
            if (!masked.Network.Equals(network))
                throw Invalid($"'{text}' has bits set after its first {length}: did you mean {masked}?");
            return prefix;
        }

        /// <summary>Dotted quads and RFC 4291 text only: IPAddress also takes inet_aton's "10.1" (10.0.0.1)
        /// and scope ids, which a filter rule must not guess at.</summary>
        private static bool TryParseAddress(string text, out IPAddress address)
        {
            address = IPAddress.None;
            if (text.Contains('%') || !IPAddress.TryParse(text, out var parsed)) return false;
            if (parsed.AddressFamily == AddressFamily.InterNetwork && text.Split('.').Length != 4) return false;
            address = parsed;
            return true;
        }

        private static BpfException Invalid(string message) => new(BpfErrorKind.InvalidArgument, message,
            "Give an address (10.0.0.1, fd00::1) or a prefix in CIDR notation (10.0.0.0/8, fd00::/64) whose host bits are zero.")
        { ErrorId = BpfErrorIds.InvalidAddressPrefix };

        internal byte[] Bytes => Network.GetAddressBytes();

        /// <summary>This prefix with every bit after Length cleared.</summary>
        internal IpPrefix Masked()
        {
            var bytes = Bytes;
            for (int bit = Length; bit < bytes.Length * 8; bit++)
                bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            return new IpPrefix(new IPAddress(bytes), Length);
        }

        internal bool Contains(IPAddress address) =>
            address.AddressFamily == Network.AddressFamily && new IpPrefix(address, Length).Masked().Network.Equals(Network);

        /// <summary>True when every address of <paramref name="other"/> is in this prefix.</summary>
        internal bool Contains(IpPrefix other) => other.Length >= Length && Contains(other.Network);

        public override string ToString() => $"{Network}/{Length}";
    }
}
