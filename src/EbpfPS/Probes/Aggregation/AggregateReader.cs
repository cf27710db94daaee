using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using EbpfPS.Bpf;
using EbpfPS.Core;
using EbpfPS.Introspection.Maps;

namespace EbpfPS.Probes.Aggregation
{
    /// <summary>Reads what the kernel counted (bpf/aggregate.h) as one <see cref="BpfMeasurement"/> per key,
    /// summing the CPUs. Resetting moves the kernel on to a new generation of keys first, then reads and deletes
    /// the old one, so that an interval's counts are exact: nothing counted meanwhile is lost or counted twice.</summary>
    internal sealed class AggregateReader
    {
        /// <summary>How long a program that read the old generation just before the switch may still be counting.</summary>
        private const int SettleMs = 10;

        private readonly AggregationPlan _plan;
        private readonly IAggregateSkeleton _maps;
        private ulong _generation;
        private DateTime _since = DateTime.Now;

        internal AggregateReader(AggregationPlan plan, IAggregateSkeleton maps)
        {
            _plan = plan;
            _maps = maps;
        }

        /// <summary>Events that were not counted because -MaxKeys keys were taken.</summary>
        internal ulong Overflow => _maps.AggOverflow.SumPerCpu(0);

        /// <summary>The measurements since the trace began, or with <paramref name="reset"/> since the last reset.</summary>
        internal List<BpfMeasurement> Read(bool reset)
        {
            ulong generation = _generation;
            var now = DateTime.Now;
            if (reset)
            {
                _maps.AggGeneration.Update(0u, ++_generation);
                Thread.Sleep(SettleMs);
            }
            var buckets = ReadBuckets(generation, reset);
            var results = new List<BpfMeasurement>();
            using var stats = KernelMap.Borrow(_maps.AggStats.Fd);
            foreach (var entry in MapEntries.Read(stats).ToList())
            {
                var key = MemoryMarshal.Read<AggKey>(entry.Key);
                if (key.Generation != generation) continue;
                var total = Sum(entry.Value, stats.ValueStride);
                if (total.Count > 0) results.Add(Measurement(key, total, buckets, now, reset));
                if (reset) stats.Delete(entry.Key);
            }
            if (reset) _since = now;
            return results;
        }

        private static AggStats Sum(byte[] perCpu, int stride)
        {
            var total = new AggStats { Min = long.MaxValue, Max = long.MinValue };
            for (int offset = 0; offset + stride <= perCpu.Length; offset += stride)
            {
                var cpu = MemoryMarshal.Read<AggStats>(perCpu.AsSpan(offset));
                if (cpu.Count == 0) continue; // a CPU that never counted this key holds zeros, not a minimum
                total.Count += cpu.Count;
                total.Sum += cpu.Sum;
                total.Min = Math.Min(total.Min, cpu.Min);
                total.Max = Math.Max(total.Max, cpu.Max);
            }
            return total;
        }

        /// <summary>Each key's bucket counts (bucket index to count), by the key's bytes.</summary>
        private Dictionary<string, SortedDictionary<int, long>> ReadBuckets(ulong generation, bool reset)
        {
            var byKey = new Dictionary<string, SortedDictionary<int, long>>();
            if (_plan.BucketCount == 0) return byKey;
            using var map = KernelMap.Borrow(_maps.AggBuckets.Fd);
            foreach (var entry in MapEntries.Read(map).ToList())
            {
                var bucketKey = MemoryMarshal.Read<AggBucketKey>(entry.Key);
                if (bucketKey.Key.Generation != generation) continue;
                long count = 0;
                for (int offset = 0; offset + map.ValueStride <= entry.Value.Length; offset += map.ValueStride)
                    count += BitConverter.ToInt64(entry.Value, offset);
                string key = Convert.ToHexString(entry.Key, 0, Marshal.SizeOf<AggKey>());
                if (!byKey.TryGetValue(key, out var counts)) byKey[key] = counts = new SortedDictionary<int, long>();
                counts[(int)bucketKey.Bucket] = count;
                if (reset) map.Delete(entry.Key);
            }
            return byKey;
        }

        private unsafe BpfMeasurement Measurement(AggKey key, AggStats total, Dictionary<string, SortedDictionary<int, long>> buckets, DateTime now, bool reset)
        {
            var parts = new List<KeyValuePair<string, object?>>(_plan.Keys.Count);
            for (int i = 0; i < _plan.Keys.Count; i++)
                parts.Add(new(_plan.Keys[i].Name, _plan.Keys[i].IsText
                    ? CStrings.Read(new ReadOnlySpan<byte>(key.Text, AggKey.TextLength))
                    : _plan.Keys[i].Decode(key.Words[2 * i], key.Words[2 * i + 1])));
            var result = new BpfMeasurement
            {
                KeyParts = parts,
                Key = string.Join(", ", parts.Select(p => p.Value)),
                Count = (long)total.Count,
                Value = _plan.ValueName,
                Timestamp = now,
                Interval = now - _since,
            };
            if (_plan.Value is not null) (result.Sum, result.Minimum, result.Maximum) = (total.Sum, total.Min, total.Max);
            var keyBytes = new byte[sizeof(AggKey)];
            MemoryMarshal.Write(keyBytes, in key);
            if (buckets.TryGetValue(Convert.ToHexString(keyBytes), out var counts))
            {
                int first = counts.First(c => c.Value > 0).Key, last = counts.Last(c => c.Value > 0).Key;
                result.Histogram = new BpfHistogram(Enumerable.Range(first, last - first + 1)
                    .Select(i => _plan.Bucket(i, counts.TryGetValue(i, out long n) ? n : 0)).ToList());
            }
            return result;
        }
    }
}
