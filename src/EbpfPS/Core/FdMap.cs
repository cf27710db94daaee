using System;
using System.Collections.Generic;
using EbpfPS.Interop;

namespace EbpfPS.Core
{
    /// <summary>A map reached through a file descriptor, from a pin or from a loaded object: the element
    /// operations that work the same in the process that created the map and in any other.</summary>
    internal sealed unsafe class FdMap : IDisposable
    {
        private readonly BpfFd _fd;

        internal FdMap(BpfFd fd, string name)
        {
            _fd = fd;
            Name = name;
        }

        internal string Name { get; }
        internal BpfFd Fd => _fd;

        internal static FdMap OpenPinned(string path) => new(BpfFd.OpenPinned(path), System.IO.Path.GetFileName(path));

        internal bool TryLookup<TKey, TValue>(TKey key, out TValue value) where TKey : unmanaged where TValue : unmanaged
        {
            TValue result = default;
            if (Libbpf.bpf_map_lookup_elem(_fd.Value, &key, &result) != 0)
            {
                int errno = Errno.Last;
                if (errno != Errno.ENOENT) throw Errno.Exception(errno, BpfErrorKind.ReadFailed, $"Reading map '{Name}' failed");
                value = default;
                return false;
            }
            value = result;
            return true;
        }

        internal TValue Lookup<TKey, TValue>(TKey key) where TKey : unmanaged where TValue : unmanaged =>
            TryLookup(key, out TValue value) ? value
                : throw new BpfException(BpfErrorKind.ReadFailed, $"Map '{Name}' has no element at the key asked for.");

        /// <summary>The value of every CPU at <paramref name="key"/> of a per-CPU map (values padded to 8 bytes).</summary>
        internal TValue[] LookupPerCpu<TKey, TValue>(TKey key) where TKey : unmanaged where TValue : unmanaged
        {
            if (sizeof(TValue) % 8 != 0) throw new ArgumentException("Per-CPU values are read in 8-byte slots.");
            var values = new TValue[Math.Max(1, Libbpf.libbpf_num_possible_cpus())];
            fixed (TValue* v = values)
                if (Libbpf.bpf_map_lookup_elem(_fd.Value, &key, v) != 0)
                    throw Errno.Exception(Errno.Last, BpfErrorKind.ReadFailed, $"Reading map '{Name}' failed");
            return values;
        }

        internal void Update<TKey, TValue>(TKey key, TValue value, ulong flags = 0) where TKey : unmanaged where TValue : unmanaged
        {
            if (Libbpf.bpf_map_update_elem(_fd.Value, &key, &value, flags) != 0)
                throw Errno.Exception(Errno.Last, BpfErrorKind.InvalidArgument, $"Updating map '{Name}' failed");
        }

        /// <summary>Writes the same value for every CPU at <paramref name="key"/> of a per-CPU map.</summary>
        internal void UpdatePerCpu<TKey, TValue>(TKey key, TValue value) where TKey : unmanaged where TValue : unmanaged
        {
            var values = new TValue[Math.Max(1, Libbpf.libbpf_num_possible_cpus())];
            Array.Fill(values, value);
            fixed (TValue* v = values)
                if (Libbpf.bpf_map_update_elem(_fd.Value, &key, v, 0) != 0)
                    throw Errno.Exception(Errno.Last, BpfErrorKind.InvalidArgument, $"Updating map '{Name}' failed");
        }

        /// <summary>Deletes the element at <paramref name="key"/>; false when there was none.</summary>
        internal bool Delete<TKey>(TKey key) where TKey : unmanaged
        {
            if (Libbpf.bpf_map_delete_elem(_fd.Value, &key) == 0) return true;
            int errno = Errno.Last;
            if (errno == Errno.ENOENT) return false;
            throw Errno.Exception(errno, BpfErrorKind.InvalidArgument, $"Deleting from map '{Name}' failed");
        }

        /// <summary>Every key, in the map's order (hash and trie maps; an array map has all of 0..max).</summary>
        internal List<TKey> Keys<TKey>() where TKey : unmanaged
        {
            var keys = new List<TKey>();
            TKey next = default;
            int rc = Libbpf.bpf_map_get_next_key(_fd.Value, null, &next);
            while (rc == 0)
            {
                keys.Add(next);
                TKey current = next;
                rc = Libbpf.bpf_map_get_next_key(_fd.Value, &current, &next);
            }
            int errno = Errno.FromResult(rc);
            if (errno != Errno.ENOENT) throw Errno.Exception(errno, BpfErrorKind.ReadFailed, $"Listing the keys of map '{Name}' failed");
            return keys;
        }

        public void Dispose() => _fd.Dispose();
    }
}
