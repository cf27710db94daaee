using System.Collections.Generic;
using System.Linq;
using EbpfPS;
using EbpfPS.Xdp;

namespace EbpfPS.Bench.XdpDropRate
{
    /// <summary>EbpfPS's filter, attached and filled by the same engine as Add-BpfXdpFilter.</summary>
    internal sealed class FilterDrop : IDropper
    {
        private readonly XdpFilter _filter;
        private readonly XdpRule _dropping;

        internal FilterDrop(BenchPair pair, string name, XdpRule dropping, IEnumerable<XdpRule> others)
        {
            Name = name;
            using (BenchNetwork.Enter(pair.ReceiverNamespace))
            {
                if (XdpPins.Exists(pair.ReceiverInterface)) XdpPins.Delete(pair.ReceiverInterface);
                _filter = XdpFilter.Create(pair.ReceiverInterface, XdpMode.Native, force: false, warn: _ => { });
            }
            foreach (var rule in others) _filter.Maps.Add(rule);
            _dropping = _filter.Maps.Add(dropping);
        }

        public string Name { get; }

        public ulong? Dropped() => _filter.Maps.Counter(_dropping.Slot).Packets;

        /// <summary>Rules that the benchmark's frames must get past: every lookup (both prefixes, both ports) is
        /// needed, and none of them matches the frames (other networks, other ports).</summary>
        internal static IEnumerable<XdpRule> Decoys(int count) => Enumerable.Range(0, count).Select(i => (i % 4) switch
        {
            0 => XdpRuleParser.Parse(XdpAction.Drop, "Udp", $"192.168.{i}.0/24", destinationPort: (1000 + i).ToString()),
            1 => XdpRuleParser.Parse(XdpAction.Pass, "Tcp", $"10.{i}.0.0/16", "10.197.0.2", sourcePort: (2000 + i).ToString()),
            2 => XdpRuleParser.Parse(XdpAction.Drop, "Udp", $"fd00:{i:x}::/32", destinationPort: "9"),
            _ => XdpRuleParser.Parse(XdpAction.Drop, null, $"172.16.{i}.0/24", $"10.197.{i}.0/24"),
        });

        public void Dispose()
        {
            _filter.Remove();
            _filter.Dispose();
        }
    }
}
