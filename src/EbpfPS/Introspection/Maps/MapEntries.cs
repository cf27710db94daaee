using System;
using System.Collections.Generic;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Introspection.Maps
{
    /// <summary>One entry as the kernel stores it: the key's bytes, and the value's (every CPU's for a per-CPU map).</summary>
    internal readonly record struct RawMapEntry(byte[] Key, byte[] Value);

    /// <summary>Streams the entries of a map: batch lookups where the kernel has them (5.6+, hash and array
    /// maps), one get_next_key + lookup per entry otherwise. Entries are yielded as they arrive, so a large
    /// map is never held in memory at once. A map changed while it is read may show an entry twice or miss one.</summary>
    internal static unsafe class MapEntries
    {
        private const int ENOTSUPP = 524; // the kernel's own "operation not supported", which bpf(2) leaks

        /// <summary>Entries per batch: about 1 MiB of keys and values, at least 64, at most the map's size.</summary>
        internal static int BatchSize(KernelMap map) =>
            (int)Math.Clamp((1 << 20) / Math.Max(1, map.KeySize + map.ValueBufferSize), 64, Math.Max(64, map.Info.MaxEntries));

        /// <param name="entriesPerBatch">Entries per batch lookup; null for <see cref="BatchSize"/>, 0 to walk the keys.</param>
        internal static IEnumerable<RawMapEntry> Read(KernelMap map, int? entriesPerBatch = null)
        {
            map.DemandIterable();
            if (entriesPerBatch != 0)
            {
                bool batched = false;
                foreach (var entry in ReadBatches(map, entriesPerBatch ?? BatchSize(map), () => batched = true))
                    yield return entry;
                if (batched) yield break;
            }
            foreach (var key in Keys(map))
            {
                var value = new byte[map.ValueBufferSize];
                if (map.TryLookup(key, value)) yield return new RawMapEntry(key, value); // else removed meanwhile
            }
        }

        /// <summary>Batch lookups; calls <paramref name="supported"/> once the kernel has accepted the first,
        /// and yields nothing when it does not have them (the caller then walks the keys).</summary>
        private static IEnumerable<RawMapEntry> ReadBatches(KernelMap map, int count, Action supported)
        {
            int keySize = map.KeySize, valueSize = map.ValueBufferSize;
            var token = new byte[Math.Max(8, keySize)];
            var nextToken = new byte[token.Length];
            bool first = true, done = false;
            var keys = new byte[count * keySize];
            var values = new byte[count * valueSize];
            while (!done)
            {
                uint got = (uint)count;
                int errno = LookupBatch(map, first ? null : token, nextToken, keys, values, ref got);
                if (errno == Errno.ENOSPC && count < 1 << 20)
                {
                    count *= 2; // one hash bucket holds more entries than the batch: retry with room for it
                    keys = new byte[count * keySize];
                    values = new byte[count * valueSize];
                    continue;
                }
                if (first && errno is ENOTSUPP or Errno.EOPNOTSUPP or Errno.EINVAL) yield break;
                if (errno != 0 && errno != Errno.ENOENT)
                    throw ErrnoFailures.Exception(errno, BpfErrorKind.ReadFailed, $"Reading the entries of {map.Description} failed");
                if (first) supported();
                first = false;
                done = errno == Errno.ENOENT; // the last batch may still carry entries
                for (int i = 0; i < got; i++)
                    yield return new RawMapEntry(keys.AsSpan(i * keySize, keySize).ToArray(), values.AsSpan(i * valueSize, valueSize).ToArray());
                (token, nextToken) = (nextToken, token);
            }
        }

        /// <summary>One bpf_map_lookup_batch; 0 or the errno (ENOENT: that was the last batch).</summary>
        private static int LookupBatch(KernelMap map, byte[]? token, byte[] nextToken, byte[] keys, byte[] values, ref uint count)
        {
            fixed (byte* inBatch = token, outBatch = nextToken, k = keys, v = values)
            fixed (uint* n = &count)
            {
                int rc = Libbpf.bpf_map_lookup_batch(map.Fd, inBatch, outBatch, k, v, n, null);
                return rc == 0 ? 0 : Errno.FromResult(rc);
            }
        }

        /// <summary>Every key, by get_next_key from the start.</summary>
        internal static IEnumerable<byte[]> Keys(KernelMap map)
        {
            map.DemandIterable();
            byte[]? previous = null;
            while (true)
            {
                var next = new byte[map.KeySize];
                int errno = NextKey(map, previous, next);
                if (errno != 0)
                {
                    if (errno == Errno.ENOENT) yield break;
                    throw ErrnoFailures.Exception(errno, BpfErrorKind.ReadFailed, $"Listing the keys of {map.Description} failed");
                }
                yield return next;
                previous = next;
            }
        }
    

        /// <summary>One bpf_map_get_next_key (the first key when <paramref name="previous"/> is null); 0 or the errno.</summary>
        private static int NextKey(KernelMap map, byte[]? previous, byte[] next)
        {
            fixed (byte* p = previous, n = next)
            {
                int rc = Libbpf.bpf_map_get_next_key(map.Fd, p, n);
                return rc == 0 ? 0 : Errno.FromResult(rc);
            }
        }
    }
}
