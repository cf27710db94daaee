using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using EbpfPS.Core;

namespace EbpfPS.Introspection.Maps
{
    /// <summary>A KernelMap whose keys and values are C# mirrors of a program's structs (unmanaged types of
    /// the map's exact key and value sizes), for engine code that knows the map it works on.</summary>
    internal sealed class TypedMap : IDisposable
    {
        internal TypedMap(KernelMap map) => Map = map;

        internal KernelMap Map { get; }

        internal static TypedMap OpenPinned(string path) => new(KernelMap.OpenPinned(path));

        /// <summary>A map of a loaded object, which owns its fd.</summary>
        internal static TypedMap Borrow(int fd) => new(KernelMap.Borrow(fd));

        internal bool TryLookup<TKey, TValue>(TKey key, out TValue value) where TKey : unmanaged where TValue : unmanaged
        {
            value = default;
            return Map.TryLookup(Bytes(ref key), Bytes(ref value));
        }

        internal TValue Lookup<TKey, TValue>(TKey key) where TKey : unmanaged where TValue : unmanaged =>
            TryLookup(key, out TValue value) ? value
                : throw new BpfException(BpfErrorKind.ReadFailed, $"{Map.Description} has no entry at the key asked for.");

        /// <summary>Every CPU's value at <paramref name="key"/> of a per-CPU map.</summary>
        internal TValue[] LookupPerCpu<TKey, TValue>(TKey key) where TKey : unmanaged where TValue : unmanaged
        {
            var values = new TValue[Map.Cpus];
            if (!Map.TryLookup(Bytes(ref key), MemoryMarshal.AsBytes(values.AsSpan())))
                throw new BpfException(BpfErrorKind.ReadFailed, $"{Map.Description} has no entry at the key asked for.");
            return values;
        }

        /// <summary>Writes the value (for a per-CPU map, the same value for every CPU).</summary>
        internal void Update<TKey, TValue>(TKey key, TValue value) where TKey : unmanaged where TValue : unmanaged
        {
            var values = new TValue[Map.Cpus];
            Array.Fill(values, value);
            Map.Update(Bytes(ref key), MemoryMarshal.AsBytes(values.AsSpan()), MapWriteMode.Any);
        }

        internal bool Delete<TKey>(TKey key) where TKey : unmanaged => Map.Delete(Bytes(ref key));

        internal List<TKey> Keys<TKey>() where TKey : unmanaged =>
            MapEntries.Keys(Map).Select(bytes => MemoryMarshal.Read<TKey>(bytes)).ToList();

        private static Span<byte> Bytes<T>(ref T value) where T : unmanaged => MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref value, 1));

        public void Dispose() => Map.Dispose();
    }
}
