using System;
using System.Runtime.InteropServices;
using EbpfPS.Interop;

namespace EbpfPS.Core.Objects
{
    /// <summary>A map of a BpfObject (owned by it: valid while the object is).</summary>
    internal sealed unsafe class BpfMap
    {
        private readonly BpfObject _owner;
        private readonly nint _map;

        internal BpfMap(BpfObject owner, nint map)
        {
            _owner = owner;
            _map = map;
        }

        internal string Name => Marshal.PtrToStringUTF8(Libbpf.bpf_map__name(_map)) ?? "";
        internal int Fd => Libbpf.bpf_map__fd(_map);
        internal uint MaxEntries => Libbpf.bpf_map__max_entries(_map);
        internal uint KeySize => Libbpf.bpf_map__key_size(_map);
        internal uint ValueSize => Libbpf.bpf_map__value_size(_map);
        internal uint Type => (uint)Libbpf.bpf_map__type(_map);

        /// <summary>Sizes the map before load (ring buffer bytes, hash entries).</summary>
        internal void SetMaxEntries(uint entries)
        {
            int rc = Libbpf.bpf_map__set_max_entries(_map, entries);
            if (rc != 0)
                throw ErrnoFailures.Exception(Errno.FromResult(rc), BpfErrorKind.InvalidArgument, $"Sizing map '{Name}' of '{_owner.Name}' to {entries} failed");
        }

        /// <summary>Adds flags (BPF_F_NO_PREALLOC...) to those the object declares; before load.</summary>
        internal void AddFlags(uint flags)
        {
            int rc = Libbpf.bpf_map__set_map_flags(_map, Libbpf.bpf_map__map_flags(_map) | flags);
            if (rc != 0)
                throw ErrnoFailures.Exception(Errno.FromResult(rc), BpfErrorKind.InvalidArgument, $"Setting the flags of map '{Name}' of '{_owner.Name}' failed");
        }

        /// <summary>Whether load creates the map: false for a map that only unloaded programs use, whose type
        /// this kernel may not have.</summary>
        internal void SetAutocreate(bool autocreate)
        {
            int rc = Libbpf.bpf_map__set_autocreate(_map, autocreate);
            if (rc != 0)
                throw ErrnoFailures.Exception(Errno.FromResult(rc), BpfErrorKind.InvalidArgument, $"Leaving map '{Name}' of '{_owner.Name}' uncreated failed");
        }

        internal void Update<TKey, TValue>(TKey key, TValue value, ulong flags = 0)
            where TKey : unmanaged where TValue : unmanaged
        {
            if (Libbpf.bpf_map_update_elem(Fd, &key, &value, flags) != 0)
                throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.InvalidArgument, $"Updating map '{Name}' of '{_owner.Name}' failed");
        }

        /// <summary>Sums a per-CPU counter (one u64 per possible CPU) at <paramref name="key"/>.</summary>
        internal ulong SumPerCpu(uint key)
        {
            int cpus = Libbpf.libbpf_num_possible_cpus();
            if (cpus <= 0) return 0;
            var values = new ulong[cpus];
            fixed (ulong* v = values)
                if (Libbpf.bpf_map_lookup_elem(Fd, &key, v) != 0)
                    throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.ReadFailed, $"Reading map '{Name}' of '{_owner.Name}' failed");
            ulong sum = 0;
            foreach (var value in values) sum += value;
            return sum;
        }
    }
}
