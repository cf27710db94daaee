using System;
using System.Collections.Specialized;
using System.Net;

namespace EbpfPS
{
    /// <summary>A key of an LPM trie map. Shown as its address prefix ("203.0.113.0/24", "2001:db8::/32") when
    /// the key holds an address, followed by the key struct's other fields where they are not zero
    /// ("203.0.113.0/24 direction=1"); as hex data and prefix length ("abcde0/12") otherwise. Write-BpfMap
    /// and Remove-BpfMapEntry take that same text back.</summary>
    public sealed class BpfLpmKey
    {
        /// <summary>A key known only by its bytes: an address when the data is 4 or 16 bytes, else hex.</summary>
        public BpfLpmKey(uint prefixLength, byte[] data)
            : this(prefixLength, data, data.Length is 4 or 16 ? new IPAddress(data) : null, data.Length is 4 or 16 ? (int)prefixLength : null, null, null)
        {
        }

        internal BpfLpmKey(uint prefixLength, byte[] data, IPAddress? address, int? addressPrefixLength, OrderedDictionary? fields, string? text)
        {
            PrefixLength = prefixLength;
            Data = data;
            Address = address?.ToString();
            AddressPrefixLength = addressPrefixLength;
            Fields = fields;
            Prefix = text ?? $"{Address ?? Convert.ToHexString(data).ToLowerInvariant()}/{prefixLength}";
        }

        /// <summary>The key's prefix length as the kernel compares it: bits of everything after it, the key
        /// struct's other fields included.</summary>
        public uint PrefixLength { get; }

        /// <summary>The address the prefix applies to, as text; empty when the key holds none.</summary>
        public string? Address { get; }

        /// <summary>Bits of <see cref="Address"/> the prefix covers; empty when it stops before the address.</summary>
        public int? AddressPrefixLength { get; }

        /// <summary>The key struct's fields between the prefix length and the address, by name; empty when none.</summary>
        public OrderedDictionary? Fields { get; }

        /// <summary>The bytes after the prefix length.</summary>
        public byte[] Data { get; }

        /// <summary>The key as text, as Write-BpfMap -Key takes it.</summary>
        public string Prefix { get; }

        public override string ToString() => Prefix;
    }
}
