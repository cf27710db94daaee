using System;
using System.Net;

namespace EbpfPS
{
    /// <summary>A key of an LPM trie map: a prefix length and the bytes it applies to, shown as
    /// "10.1.0.0/16" (or "2001:db8::/32") when the data is an IPv4 or IPv6 address.</summary>
    public sealed class BpfLpmKey
    {
        public BpfLpmKey(uint prefixLength, byte[] data)
        {
            PrefixLength = prefixLength;
            Data = data;
            Address = data.Length is 4 or 16 ? new IPAddress(data) : null;
        }

        public uint PrefixLength { get; }

        /// <summary>The data as an address when it is 4 or 16 bytes, else empty.</summary>
        public IPAddress? Address { get; }

        public byte[] Data { get; }

        public string Prefix => $"{(Address is null ? Convert.ToHexString(Data).ToLowerInvariant() : Address.ToString())}/{PrefixLength}";

        public override string ToString() => Prefix;
    }
}
