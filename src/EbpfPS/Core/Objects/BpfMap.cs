using System;
using System.Runtime.InteropServices;
using EbpfPS.Interop;

namespace EbpfPS.Core.Objects
{
    /// <summary>A map of a BpfObject (owned by it: valid while the object is), to use once it is loaded; what
    /// is set before load is on its <see cref="BpfOpenMap"/>.</summary>
    internal sealed unsafe class BpfMap
    {
        private readonly BpfObject _owner;
        private readonly nint _map;

        internal BpfMap(BpfObject owner, nint map)
        {
            _owner = owner;
            _map = map;
        }

        internal nint Pointer => _map;
        internal BpfObject Owner => _owner;
        internal string Name => Marshal.PtrToStringUTF8(Libbpf.bpf_map__name(_map)) ?? "";
        internal int Fd => Libbpf.bpf_map__fd(_map);
        internal uint MaxEntries => Libbpf.bpf_map__max_entries(_map);
        internal uint KeySize => Libbpf.bpf_map__key_size(_map);
        internal uint ValueSize => Libbpf.bpf_map__value_size(_map);
        internal uint Type => (uint)Libbpf.bpf_map__type(_map);

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
