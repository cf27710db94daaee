using System.Collections.Generic;
using System.Linq;
using EbpfPS.Core.TraceFs;

namespace EbpfPS.Probes.Tracepoints
{
    /// <summary>Socket tracepoints (sock:inet_sock_set_state, tcp:tcp_retransmit_skb...) carry each address
    /// twice, as saddr (IPv4, 0.0.0.0 for IPv6) and saddr_v6 (IPv4-mapped for IPv4); Source and Destination
    /// are the one address of each side that the socket's family says.</summary>
    internal static class SocketAddresses
    {
        internal const string Source = "Source", Destination = "Destination";

        private const int AfInet6 = 10;

        private static readonly string[] Needed = { "family", "saddr", "daddr", "saddr_v6", "daddr_v6" };

        /// <summary>Whether the tracepoint has both forms of both addresses and the family.</summary>
        internal static bool Apply(TracepointFormat format) =>
            Needed.All(name => format.OwnFields.Any(f => f.Name == name));

        /// <summary>Adds Source and Destination to the decoded fields of such a tracepoint.</summary>
        internal static void Add(List<FieldValue> fields)
        {
            object? family = null, saddr = null, daddr = null, saddr6 = null, daddr6 = null;
            foreach (var (name, value) in fields)
            {
                switch (name)
                {
                    case "family" + TracepointDecoder.NumberTwinSuffix: family = value; break;
                    case "family" when family is null: family = value; break;
                    case "saddr": saddr = value; break;
                    case "daddr": daddr = value; break;
                    case "saddr_v6": saddr6 = value; break;
                    case "daddr_v6": daddr6 = value; break;
                }
            }
            bool v6 = family is long number ? number == AfInet6 : family as string == "AF_INET6";
            fields.Add(new FieldValue(Source, (v6 ? saddr6 : saddr) as string));
            fields.Add(new FieldValue(Destination, (v6 ? daddr6 : daddr) as string));
        }
    }
}
