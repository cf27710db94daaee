using System;
using System.Globalization;
using EbpfPS.Core;

namespace EbpfPS.Xdp
{
    /// <summary>IP protocol numbers and the names rules use for them.</summary>
    internal static class IpProtocols
    {
        internal const byte Icmp = 1, Tcp = 6, Udp = 17, IcmpV6 = 58;

        internal static readonly string[] Names = { "Icmp", "IcmpV6", "Tcp", "Udp" };

        /// <summary>A name (case does not matter) or a number from 0 to 255.</summary>
        internal static byte Parse(string text)
        {
            string trimmed = text.Trim();
            foreach (string name in Names)
                if (string.Equals(trimmed, name, StringComparison.OrdinalIgnoreCase))
                    return Number(name);
            if (byte.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out byte number))
                return number;
            throw new BpfException(BpfErrorKind.InvalidArgument, $"'{text}' is not an IP protocol.",
                "Give Icmp, IcmpV6, Tcp, Udp, or a protocol number from 0 to 255 (/etc/protocols lists them, e.g. 47 for GRE).")
            { ErrorId = BpfErrorIds.InvalidProtocol };
        }

        internal static string Name(byte number) => number switch
        {
            Icmp => "Icmp",
            IcmpV6 => "IcmpV6",
            Tcp => "Tcp",
            Udp => "Udp",
            _ => number.ToString(CultureInfo.InvariantCulture),
        };

        private static byte Number(string name) => name switch
        {
            "Icmp" => Icmp,
            "IcmpV6" => IcmpV6,
            "Tcp" => Tcp,
            _ => Udp,
        };

        internal static bool HasPorts(byte number) => number is Tcp or Udp;
    }
}
