using System.Collections.Generic;

namespace EbpfPS
{
    /// <summary>One field of a tracepoint's record, as its format file describes it, with what its print
    /// format adds: names for its values and whether it holds an IP address.</summary>
    public sealed class BpfTracepointField
    {
        public string Name { get; set; } = "";

        /// <summary>The C type as the format file writes it, e.g. "__u8", "__data_loc char[]", "const char *".</summary>
        public string Type { get; set; } = "";

        /// <summary>Bytes from the start of the record (the 8-byte common header comes first).</summary>
        public int Offset { get; set; }

        public int Size { get; set; }
        public bool Signed { get; set; }

        /// <summary>Elements of a fixed array (saddr[4] has 4); 0 for a scalar.</summary>
        public int ArrayLength { get; set; }

        /// <summary>Value -> name from the print format's __print_symbolic (TCP states, address families); null when none.</summary>
        public SortedDictionary<long, string>? Symbols { get; set; }

        /// <summary>Mask -> name from the print format's __print_flags, in the format's order; null when none.</summary>
        public List<KeyValuePair<ulong, string>>? FlagNames { get; set; }

        /// <summary>"IPv4" or "IPv6" where the print format prints the field as an address (%pI4, %pI6); else empty.</summary>
        public string Address { get; set; } = "";

        /// <summary>The field as the format declares it: "__u16 sport", "__u8 saddr[4]".</summary>
        public override string ToString() => ArrayLength > 0 ? $"{Type} {Name}[{ArrayLength}]" : $"{Type} {Name}";
    }
}
