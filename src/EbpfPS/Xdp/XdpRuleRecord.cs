using System.Net;
using System;
using EbpfPS.Bpf;

namespace EbpfPS.Xdp
{
    /// <summary>A rule to and from its record in the xdpf_rules map, where other processes read it.</summary>
    internal static unsafe class XdpRuleRecord
    {
        internal static XdpFilterRule From(XdpRule rule)
        {
            var record = new XdpFilterRule
            {
                Id = rule.Id,
                Action = (byte)rule.Action,
                Protocol = rule.Protocol ?? 0,
                SourcePort = rule.SourcePort ?? 0,
                DestinationPort = rule.DestinationPort ?? 0,
                AddedUnixMs = new DateTimeOffset(rule.AddedAt).ToUnixTimeMilliseconds(),
            };
            if (rule.Protocol is not null) record.Flags |= (byte)XdpRuleFlags.Protocol;
            if (rule.SourcePort is not null) record.Flags |= (byte)XdpRuleFlags.SourcePort;
            if (rule.DestinationPort is not null) record.Flags |= (byte)XdpRuleFlags.DestinationPort;
            if (rule.Source is IpPrefix source)
            {
                record.SourceFamily = (byte)source.Family;
                record.SourcePrefixlen = (byte)source.Length;
                source.Bytes.CopyTo(new Span<byte>(record.Source, 16));
            }
            if (rule.Destination is IpPrefix destination)
            {
                record.DestinationFamily = (byte)destination.Family;
                record.DestinationPrefixlen = (byte)destination.Length;
                destination.Bytes.CopyTo(new Span<byte>(record.Destination, 16));
            }
            return record;
        }

        internal static XdpRule To(in XdpFilterRule record, int slot)
        {
            var flags = (XdpRuleFlags)record.Flags;
            fixed (byte* source = record.Source)
            fixed (byte* destination = record.Destination)
                return new XdpRule
                {
                    Id = record.Id,
                    Slot = slot,
                    Action = (XdpAction)record.Action,
                    Protocol = flags.HasFlag(XdpRuleFlags.Protocol) ? record.Protocol : null,
                    SourcePort = flags.HasFlag(XdpRuleFlags.SourcePort) ? record.SourcePort : null,
                    DestinationPort = flags.HasFlag(XdpRuleFlags.DestinationPort) ? record.DestinationPort : null,
                    Source = Prefix(record.SourceFamily, record.SourcePrefixlen, source),
                    Destination = Prefix(record.DestinationFamily, record.DestinationPrefixlen, destination),
                    AddedAt = DateTimeOffset.FromUnixTimeMilliseconds(record.AddedUnixMs).LocalDateTime,
                };
        }

        private static IpPrefix? Prefix(byte family, byte length, byte* address) => family switch
        {
            4 => new IpPrefix(new IPAddress(new ReadOnlySpan<byte>(address, 4)), length),
            6 => new IpPrefix(new IPAddress(new ReadOnlySpan<byte>(address, 16)), length),
            _ => null,
        };
    }
}
