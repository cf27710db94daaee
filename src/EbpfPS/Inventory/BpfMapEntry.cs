using System;
using EbpfPS.Core;

namespace EbpfPS
{
    /// <summary>One entry of a map: its key and value decoded through the map's BTF — numbers, enum names, strings,
    /// structs as objects that print their fields, arrays, addresses and bytes as text (hex without BTF) — and
    /// the raw bytes as hex, as `bpftool map dump` shows them. What it shows, Write-BpfMap takes back.</summary>
    public sealed class BpfMapEntry
    {
        public uint MapId { get; set; }
        public string MapName { get; set; } = "";
        public object? Key { get; set; }
        /// <summary>The value; for a per-CPU map, the sum over all CPUs (empty when the value has no BTF to add by).</summary>
        public object? Value { get; set; }
        /// <summary>For a per-CPU map, one value per possible CPU, by CPU number; empty otherwise.</summary>
        public BpfArray? PerCpuValues { get; set; }
        public string KeyHex => Hex.Format(KeyBytes);
        /// <summary>The value's bytes (every CPU's, one after the other, for a per-CPU map).</summary>
        public string ValueHex => Hex.Format(ValueBytes);

        internal byte[] KeyBytes { get; set; } = Array.Empty<byte>();
        internal byte[] ValueBytes { get; set; } = Array.Empty<byte>();
    }
}
