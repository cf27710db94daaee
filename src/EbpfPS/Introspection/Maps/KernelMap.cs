using System;
using System.Collections.Generic;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Introspection.Maps
{
    /// <summary>Any map in the kernel, reached through a file descriptor: by id, by pinned path, or borrowed
    /// from a loaded object (a running trace). Element access through the bpf(2) syscall; no BTF here.</summary>
    internal sealed unsafe class KernelMap : IDisposable
    {
        private readonly FileDescriptorHandle _fd;

        private KernelMap(FileDescriptorHandle fd, BpfMapInfo info)
        {
            _fd = fd;
            Info = info;
            IsPerCpu = MapTypes.IsPerCpu(info.TypeId);
            Cpus = IsPerCpu ? Math.Max(1, Libbpf.libbpf_num_possible_cpus()) : 1;
            ValueStride = IsPerCpu ? (int)((info.ValueSize + 7) & ~7u) : (int)info.ValueSize;
        }

        internal BpfMapInfo Info { get; }
        internal int Fd => _fd.Fd;
        internal int KeySize => (int)Info.KeySize;
        internal bool IsPerCpu { get; }

        /// <summary>Possible CPUs for a per-CPU map (1 otherwise): how many values one lookup returns.</summary>
        internal int Cpus { get; }

        /// <summary>Bytes between the values of two CPUs: the value size rounded up to 8 for per-CPU maps.</summary>
        internal int ValueStride { get; }

        /// <summary>Bytes one lookup writes: every CPU's value of a per-CPU map.</summary>
        internal int ValueBufferSize => ValueStride * Cpus;

        internal string Description => $"map '{Info.Name}' (id {Info.Id})";

        internal static KernelMap Open(uint id)
        {
            var fd = KernelObjectIds.TryOpen(BpfObjectKind.Map, id)
                ?? throw new BpfException(BpfErrorKind.NotFound, $"There is no BPF map with id {id}.",
                    "Get-BpfMap lists the maps loaded in the kernel with their ids.") { ErrorId = BpfErrorIds.BpfMapNotFound };
            return FromOwnedFd(fd);
        }

        internal static KernelMap OpenPinned(string path)
        {
            var (fd, kind) = KernelObjectIds.OpenPinned(path);
            if (kind != BpfObjectKind.Map)
            {
                fd.Dispose();
                throw new BpfException(BpfErrorKind.InvalidArgument, $"'{path}' is a pinned {kind.ToString().ToLowerInvariant()}, not a map.",
                    "Get-BpfProgram and Get-BpfLink describe pinned programs and links.");
            }
            return FromOwnedFd(fd);
        }

        /// <summary>A map whose fd belongs to someone else (a loaded BpfObject): valid while its owner is.</summary>
        internal static KernelMap Borrow(int fd) => FromOwnedFd(new FileDescriptorHandle(fd, ownsHandle: false));

        private static KernelMap FromOwnedFd(FileDescriptorHandle fd)
        {
            try { return new KernelMap(fd, MapInfoReader.Read(fd.Fd)); }
            catch
            {
                fd.Dispose();
                throw;
            }
        }

        /// <summary>Looks up <paramref name="key"/>; false when the map has no such entry.</summary>
        internal bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value)
        {
            CheckSizes(key, value.Length, ValueBufferSize);
            fixed (byte* k = key)
            fixed (byte* v = value)
            {
                int rc = Libbpf.bpf_map_lookup_elem(Fd, k, v);
                if (rc == 0) return true;
                int errno = Errno.FromResult(rc);
                if (errno == Errno.ENOENT) return false;
                throw ErrnoFailures.Exception(errno, BpfErrorKind.ReadFailed, $"Reading an entry of {Description} failed");
            }
        }

        internal void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapWriteMode mode)
        {
            DemandWritable();
            CheckSizes(key, value.Length, ValueBufferSize);
            fixed (byte* k = key)
            fixed (byte* v = value)
            {
                int rc = Libbpf.bpf_map_update_elem(Fd, k, v, (ulong)mode);
                if (rc == 0) return;
                int errno = Errno.FromResult(rc);
                throw errno switch
                {
                    Errno.EEXIST => new BpfException(BpfErrorKind.WriteFailed, $"{Description} already has that key.",
                        "Leave out -NoClobber to overwrite the entry.") { Errno = errno },
                    Errno.E2BIG when MapTypes.IsArray(Info.TypeId) => new BpfException(BpfErrorKind.InvalidArgument,
                        $"The index is beyond the end of {Description}, which has {Info.MaxEntries} entries.",
                        $"Give an index from 0 to {Info.MaxEntries - 1}.") { ErrorId = BpfErrorIds.BpfMapKeyInvalid, Errno = errno },
                    Errno.E2BIG => new BpfException(BpfErrorKind.WriteFailed, $"{Description} is full: it holds at most {Info.MaxEntries} entries.",
                        "Remove entries with Remove-BpfMapEntry, or overwrite existing keys.") { Errno = errno },
                    _ => ErrnoFailures.Exception(errno, BpfErrorKind.WriteFailed, $"Writing an entry of {Description} failed"),
                };
            }
        }

        /// <summary>Removes <paramref name="key"/>; false when there was no such entry.</summary>
        internal bool Delete(ReadOnlySpan<byte> key)
        {
            DemandWritable(removing: true);
            if (MapTypes.IsArray(Info.TypeId))
                throw new BpfException(BpfErrorKind.WriteFailed, $"{Description} is an array: its {Info.MaxEntries} entries always exist and cannot be removed.",
                    "Write a zero value with Write-BpfMap instead.");
            CheckSizes(key, 0, 0);
            fixed (byte* k = key)
            {
                int rc = Libbpf.bpf_map_delete_elem(Fd, k);
                if (rc == 0) return true;
                int errno = Errno.FromResult(rc);
                if (errno == Errno.ENOENT) return false;
                throw ErrnoFailures.Exception(errno, BpfErrorKind.WriteFailed, $"Removing an entry of {Description} failed");
            }
        }

        /// <summary>What one update writes: the value, or for a per-CPU map each CPU's value at its stride;
        /// a single value given for a per-CPU map is written to every CPU.</summary>
        internal byte[] ValueBuffer(IReadOnlyList<byte[]> values)
        {
            if (!IsPerCpu && values.Count == 1) return values[0];
            if (values.Count != 1 && values.Count != Cpus)
                throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"{values.Count} values were given for {Description}, which holds {(IsPerCpu ? $"one value per CPU ({Cpus} CPUs)" : "one value")}.",
                    IsPerCpu ? $"Give one value for every CPU, or a single -Value to write it to all {Cpus}." : "Give one value.") { ErrorId = BpfErrorIds.BpfMapValueInvalid };
            var buffer = new byte[ValueBufferSize];
            for (int cpu = 0; cpu < Cpus; cpu++) values[values.Count == 1 ? 0 : cpu].CopyTo(buffer, cpu * ValueStride);
            return buffer;
        }

        /// <summary>Throws what a reader should know when the map has no entries to list.</summary>
        internal void DemandIterable()
        {
            if (MapTypes.IsStream(Info.TypeId))
                throw new BpfException(BpfErrorKind.MapIsStream,
                    $"{Description} is a {Info.Type} map: a stream of records that a program sends to user space, not a table of entries to read.",
                    "Consume its records with Start-BpfTrace, which reads ring buffers and perf buffers as they fill.");
            if (!MapTypes.IsIterable(Info.TypeId))
                throw new BpfException(BpfErrorKind.MapNotIterable,
                    $"{Description} is a {Info.Type} map, whose entries cannot be listed from user space.",
                    Info.KeySize > 0 ? "Read one entry with -Key, where the map type allows lookups." : "Only the programs that use it can read it.");
        }

        /// <param name="removing">For Remove-BpfMapEntry: a stream then has no entries to remove, rather than takes none.</param>
        internal void DemandWritable(bool removing = false)
        {
            if (MapTypes.IsStream(Info.TypeId))
                throw new BpfException(BpfErrorKind.MapIsStream, removing
                        ? $"{Description} is a {Info.Type} map: a stream of records that programs send to user space, which has no entries to remove."
                        : $"{Description} is a {Info.Type} map: a stream of records that programs send to user space, which takes no entries.",
                    removing
                        ? "Its records go once they are read: consume them with Start-BpfTrace, which reads ring buffers and perf buffers as they fill."
                        : "Write to a hash or array map; a stream's records are consumed with Start-BpfTrace.");
            if (Info.Frozen)
                throw new BpfException(BpfErrorKind.MapReadOnly, $"{Description} is frozen: user space can no longer change it.",
                    "A frozen map stays read-only until it is freed; its programs keep using the values it holds.");
            if ((Info.Flags & BpfMapFlags.ReadOnly) != 0)
                throw new BpfException(BpfErrorKind.MapReadOnly, $"{Description} was created read-only for user space (BPF_F_RDONLY).",
                    "Only its programs can change it.");
        }

        private void CheckSizes(ReadOnlySpan<byte> key, int valueLength, int expected)
        {
            if (key.Length != KeySize)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"A key of {Description} is {KeySize} bytes, not {key.Length}.") { ErrorId = BpfErrorIds.BpfMapKeyInvalid };
            if (valueLength != expected)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"A value of {Description} is {expected} bytes, not {valueLength}.") { ErrorId = BpfErrorIds.BpfMapValueInvalid };
        }

        public void Dispose() => _fd.Dispose();
    }

    /// <summary>BPF_ANY, BPF_NOEXIST, BPF_EXIST.</summary>
    internal enum MapWriteMode : ulong { Any = 0, CreateOnly = 1, UpdateOnly = 2 }

    internal static class BpfMapFlags
    {
        internal const uint NoPrealloc = 1, ReadOnly = 1 << 3, WriteOnly = 1 << 4;
    }
}
