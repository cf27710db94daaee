using System.Collections.Generic;
using System.Linq;

namespace EbpfPS.Xdp
{
    /// <summary>The order in which rules are evaluated, most specific first; the first rule that matches
    /// a packet decides it. One rule comes before another when, compared in this order:
    /// 1. its source prefix is longer (a rule without a source address comes after every rule with one;
    ///    0.0.0.0/0 and ::/0 still count as a source, of one address family);
    /// 2. its destination prefix is longer (the same way);
    /// 3. it names a protocol and the other does not;
    /// 4. it names a source port and the other does not; then the same for the destination port;
    /// 5. it was added earlier (a lower rule id).
    /// So addresses ("who") outrank protocols and ports ("what"): Pass from 10.0.0.0/24 wins over
    /// Drop Tcp port 22 for a packet from 10.0.0.7 to port 22.</summary>
    internal sealed class XdpRuleOrder : IComparer<XdpRule>
    {
        internal static readonly XdpRuleOrder Instance = new();

        public int Compare(XdpRule? x, XdpRule? y)
        {
            if (ReferenceEquals(x, y)) return 0;
            if (x is null) return 1;
            if (y is null) return -1;
            int c = Length(y.Source).CompareTo(Length(x.Source));
            if (c == 0) c = Length(y.Destination).CompareTo(Length(x.Destination));
            if (c == 0) c = Given(y.Protocol).CompareTo(Given(x.Protocol));
            if (c == 0) c = Given(y.SourcePort).CompareTo(Given(x.SourcePort));
            if (c == 0) c = Given(y.DestinationPort).CompareTo(Given(x.DestinationPort));
            return c != 0 ? c : x.Id.CompareTo(y.Id);
        }

        private static int Length(IpPrefix? prefix) => prefix?.Length ?? -1;
        private static int Given<T>(T? value) where T : struct => value.HasValue ? 1 : 0;

        internal static List<XdpRule> Sort(IEnumerable<XdpRule> rules) => rules.OrderBy(r => r, Instance).ToList();

        /// <summary>The rule that decides <paramref name="packet"/>, or null when none matches (it passes).</summary>
        internal static XdpRule? Decide(IEnumerable<XdpRule> rules, PacketHeaders packet) =>
            Sort(rules).FirstOrDefault(r => r.Matches(packet));
    }
}
