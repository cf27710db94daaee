using System.Runtime.InteropServices;
using EbpfPS.Interop;

namespace EbpfPS.Core.Objects
{
    /// <summary>A map of an object that is open and not loaded yet: what load will create (its size, flags, whether
    /// at all). Once loaded, the map is used as a <see cref="BpfMap"/>.</summary>
    internal sealed class BpfOpenMap(BpfMap map)
    {
        internal string Name => map.Name;
        internal uint Type => map.Type;
        internal uint KeySize => map.KeySize;
        internal uint ValueSize => map.ValueSize;
        internal uint MaxEntries => map.MaxEntries;
        internal uint Flags => Libbpf.bpf_map__map_flags(map.Pointer);

        /// <summary>Where libbpf pins the map as it loads, reusing a map pinned there already: the object declares
        /// __uint(pinning, LIBBPF_PIN_BY_NAME) and libbpf's pin root (/sys/fs/bpf) holds it by its name. Null otherwise.</summary>
        internal string? PinPath => Marshal.PtrToStringUTF8(Libbpf.bpf_map__pin_path(map.Pointer));

        /// <summary>Sizes the map (ring buffer bytes, hash entries).</summary>
        internal void SetMaxEntries(uint entries)
        {
            int rc = Libbpf.bpf_map__set_max_entries(map.Pointer, entries);
            if (rc != 0)
                throw ErrnoFailures.Exception(Errno.FromResult(rc), BpfErrorKind.InvalidArgument, $"Sizing map '{Name}' of '{map.Owner.Name}' to {entries} failed");
        }

        /// <summary>Adds flags (BPF_F_NO_PREALLOC...) to those the object declares.</summary>
        internal void AddFlags(uint flags)
        {
            int rc = Libbpf.bpf_map__set_map_flags(map.Pointer, Libbpf.bpf_map__map_flags(map.Pointer) | flags);
            if (rc != 0)
                throw ErrnoFailures.Exception(Errno.FromResult(rc), BpfErrorKind.InvalidArgument, $"Setting the flags of map '{Name}' of '{map.Owner.Name}' failed");
        }

        /// <summary>Whether load creates the map: false for a map that only unloaded programs use, whose type
        /// this kernel may not have.</summary>
        internal void SetAutocreate(bool autocreate)
        {
            int rc = Libbpf.bpf_map__set_autocreate(map.Pointer, autocreate);
            if (rc != 0)
                throw ErrnoFailures.Exception(Errno.FromResult(rc), BpfErrorKind.InvalidArgument, $"Leaving map '{Name}' of '{map.Owner.Name}' uncreated failed");
        }
    }
}
