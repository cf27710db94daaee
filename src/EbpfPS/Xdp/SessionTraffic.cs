using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace EbpfPS.Xdp
{
    /// <summary>The packets that carry this PowerShell session, when it runs over SSH (an ssh login, or
    /// PowerShell remoting over SSH): a rule that drops them cuts the user off.</summary>
    internal static class SessionTraffic
    {
        /// <summary>The session's packets as they arrive, from SSH_CONNECTION ("client port server port"), or null.</summary>
        internal static PacketHeaders? FromSshConnection(string? value)
        {
            var parts = (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 4) return null;
            if (!IPAddress.TryParse(parts[0].Split('%')[0], out var client) || !IPAddress.TryParse(parts[2].Split('%')[0], out var server)) return null;
            if (!ushort.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ushort clientPort)
                || !ushort.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out ushort serverPort)) return null;
            if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
            if (server.IsIPv4MappedToIPv6) server = server.MapToIPv4();
            return new PacketHeaders(client, server, IpProtocols.Tcp, clientPort, serverPort);
        }

        internal static PacketHeaders? Current() => FromSshConnection(Environment.GetEnvironmentVariable("SSH_CONNECTION"));

        /// <summary>Why changing the rules from <paramref name="before"/> to <paramref name="after"/> would cut
        /// the session off, or null when it would not (or there is no SSH session).</summary>
        internal static string? CutBy(IEnumerable<XdpRule> before, IEnumerable<XdpRule> after, PacketHeaders? session)
        {
            if (session is not PacketHeaders packet) return null;
            var now = XdpRuleOrder.Decide(before, packet);
            var then = XdpRuleOrder.Decide(after, packet);
            if (now?.Action == XdpAction.Drop || then?.Action != XdpAction.Drop) return null;
            return $"it would drop the SSH connection this session runs over ({packet.Source} port {packet.SourcePort} to {packet.Destination} port {packet.DestinationPort}), " +
                   $"by the rule {then}, if it arrives on this interface.";
        }
    }
}
