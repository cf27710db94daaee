using System;

namespace EbpfPS
{
    /// <summary>A BPF map in the kernel (created by anyone), as `bpftool map show` describes it.
    /// Pipe it to Read-BpfMap to read its entries.</summary>
    public sealed class BpfMapInfo
    {
        public uint Id { get; set; }
        /// <summary>The kernel's name of the map: at most 15 characters.</summary>
        public string Name { get; set; } = "";
        /// <summary>The map type as libbpf and bpftool name it: hash, array, percpu_hash, lpm_trie, ringbuf...</summary>
        public string Type { get; set; } = "";
        public uint KeySize { get; set; }
        public uint ValueSize { get; set; }
        public uint MaxEntries { get; set; }
        /// <summary>BPF_F_* creation flags; <see cref="FlagNames"/> spells them.</summary>
        public uint Flags { get; set; }
        public BpfList<string> FlagNames { get; set; } = Array.Empty<string>();
        /// <summary>Id of the BTF object describing keys and values; 0 when the map has none.</summary>
        public uint BtfId { get; set; }
        /// <summary>Frozen maps cannot be changed from user space any more (bpf_map_freeze).</summary>
        public bool Frozen { get; set; }
        public ulong MemoryLockBytes { get; set; }
        public BpfList<string> PinnedPaths { get; set; } = Array.Empty<string>();

        internal uint TypeId { get; set; }
        internal uint BtfKeyTypeId { get; set; }
        internal uint BtfValueTypeId { get; set; }
    }
}
