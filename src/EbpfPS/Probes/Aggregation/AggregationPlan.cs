using System;
using System.Collections.Generic;
using System.Linq;
using EbpfPS.Bpf;
using EbpfPS.Core;
using EbpfPS.Introspection.Features;
using EbpfPS.Introspection.Maps;

namespace EbpfPS.Probes.Aggregation
{
    /// <summary>A key part or the measured value: where the kernel finds it in the probe's record or the task
    /// (bpf/aggregate.h's struct agg_part), and how the number (or, for a 16-byte name, the two words) that the
    /// kernel put into the key reads back.</summary>
    /// <param name="FromEntry">Whether the probe learns it when the event begins (a syscall's arguments, its entry time),
    /// not only when it ends: a probe may then skip the beginning.</param>
    internal sealed record AggregateField(string Name, AggPart Part, Func<ulong, ulong, object?> Decode, string Unit = "", bool FromEntry = false)
    {
        /// <summary>A record field of 1, 2, 4 or 8 bytes (or a 16-byte name) at <paramref name="offset"/>.</summary>
        internal static AggPart Field(int offset, int size, bool signed = false) =>
            new() { Source = AggSource.Field, Offset = (uint)offset, Size = (uint)size, IsSigned = signed ? 1u : 0u };

        internal static AggPart Special(AggSource source, int offset = 0, int size = 8) =>
            new() { Source = source, Offset = (uint)offset, Size = (uint)size, IsSigned = 1 };

        /// <summary>Text that goes into the key's text rather than its words (bpf/aggregate.h's agg_text).</summary>
        internal static AggPart Text(AggSource source, int offset, int offset2 = 0) =>
            new() { Source = source, Offset = (uint)offset, Offset2 = (uint)offset2 };

        /// <summary>A text key part, read from the key's text: a string (a file name, a tracepoint's __data_loc text).</summary>
        internal bool IsText => Part.Source >= AggSource.Text;

        /// <summary>The bytes of a key part as the record held them: its two words, in memory order.</summary>
        internal static byte[] Bytes(ulong first, ulong second)
        {
            var bytes = new byte[16];
            BitConverter.TryWriteBytes(bytes, first);
            BitConverter.TryWriteBytes(bytes.AsSpan(8), second);
            return bytes;
        }

        /// <summary>A 16-byte name (a task's comm) from the two words of its key part.</summary>
        internal static string Comm(ulong first, ulong second) => CStrings.Read(Bytes(first, second));
    }

    internal enum HistogramKind { None, PowerOfTwo, Linear }

    /// <summary>What Measure-BpfTrace counts: the key parts (-By), the value (-Sum, -Average, -Minimum,
    /// -Maximum, -Histogram) and its histogram, and how many keys the kernel keeps (-MaxKeys). Written into a
    /// probe's <see cref="IOpenAggregateSkeleton"/> before load.</summary>
    internal sealed class AggregationPlan
    {
        internal const int DefaultMaxKeys = 4096;
        internal const int MaxLinearBuckets = 1000;

        internal AggregationPlan(IReadOnlyList<AggregateField> keys, AggregateField? value, HistogramKind histogram = HistogramKind.None,
            long linearMin = 0, long linearMax = 0, long linearStep = 0, int maxKeys = DefaultMaxKeys)
        {
            if (keys.Count > AggregationMaxParts)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"-By takes at most {AggregationMaxParts} keys; {keys.Count} were given.",
                    "Count by fewer keys, and group the results further with Group-Object.") { ErrorId = BpfErrorIds.MeasureKeysTooMany };
            if (keys.Count(k => k.IsText) > 1)
                throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"-By takes at most one text key; {string.Join(" and ", keys.Where(k => k.IsText).Select(k => k.Name))} are text.",
                    "Count by one of them, and the other as a number where it is one, or in a second Measure-BpfTrace.") { ErrorId = BpfErrorIds.MeasureKeysTooMany };
            if (histogram == HistogramKind.Linear)
            {
                long buckets = linearStep <= 0 || linearMax <= linearMin ? 0 : (linearMax - linearMin + linearStep - 1) / linearStep;
                if (buckets < 1 || buckets > MaxLinearBuckets)
                    throw new BpfException(BpfErrorKind.InvalidArgument,
                        $"-Linear {linearMin},{linearMax},{linearStep} does not make 1 to {MaxLinearBuckets} buckets: it takes a minimum, a larger maximum and a positive step.",
                        "Give e.g. -Linear 0,100,10: ten buckets of 10 from 0 to 100, and one each for what is below and above.") { ErrorId = BpfErrorIds.InvalidLinearBuckets };
                LinearBuckets = (int)buckets;
            }
            Keys = keys;
            Value = value;
            Histogram = histogram;
            LinearMin = linearMin;
            LinearStep = linearStep;
            MaxKeys = maxKeys;
        }

        private const int AggregationMaxParts = Bpf.Aggregation.PartsLength;

        internal IReadOnlyList<AggregateField> Keys { get; }
        internal AggregateField? Value { get; }
        internal HistogramKind Histogram { get; }
        internal long LinearMin { get; }
        internal long LinearStep { get; }
        internal int LinearBuckets { get; }
        internal int MaxKeys { get; }

        /// <summary>Whether a key part or the value comes from where the event begins (<see cref="AggregateField.FromEntry"/>).</summary>
        internal bool NeedsEntry => Keys.Any(k => k.FromEntry) || Value?.FromEntry == true;

        /// <summary>Buckets a key's histogram has: below zero, zero, and 63 powers of two; or below the minimum,
        /// the linear ones, and from the last bound up.</summary>
        internal int BucketCount => Histogram switch
        {
            HistogramKind.PowerOfTwo => 65,
            HistogramKind.Linear => LinearBuckets + 2,
            _ => 0,
        };

        /// <summary>Writes the plan into the object and sizes its maps; before load.</summary>
        internal void Configure(IOpenAggregateSkeleton skeleton)
        {
            var description = new Bpf.Aggregation
            {
                Enabled = 1,
                PartCount = (uint)Keys.Count,
                Value = Value?.Part ?? default,
                Histogram = Histogram switch
                {
                    HistogramKind.PowerOfTwo => AggHistogram.Log2,
                    HistogramKind.Linear => AggHistogram.Linear,
                    _ => AggHistogram.None,
                },
                LinearBuckets = (uint)LinearBuckets,
                LinearMin = LinearMin,
                LinearStep = (ulong)LinearStep,
            };
            for (int i = 0; i < Keys.Count; i++) description.Parts[i] = Keys[i].Part;
            skeleton.Aggregation = description;
            skeleton.AggStats.SetMaxEntries((uint)MaxKeys);
            // Room for every bucket of every key, allocated as first counted where the kernel lets tracing programs
            // (6.1+); before, all of it at load.
            if (KernelFeatures.TracingTakesAllocatedMaps) skeleton.AggBuckets.AddFlags(BpfMapFlags.NoPrealloc);
            skeleton.AggBuckets.SetMaxEntries((uint)Math.Max(1L, Math.Min(int.MaxValue, (long)MaxKeys * BucketCount)));
        }

        /// <summary>The bounds of bucket <paramref name="index"/> as the kernel numbers them (bpf/aggregate.h's agg_bucket).</summary>
        internal BpfHistogramBucket Bucket(int index, long count)
        {
            var bucket = new BpfHistogramBucket { Count = count, PlainBounds = Histogram == HistogramKind.Linear && LinearStep % 1024 != 0 };
            if (Histogram == HistogramKind.PowerOfTwo)
            {
                if (index == 0) bucket.UpperBound = 0;
                else if (index == 1) (bucket.LowerBound, bucket.UpperBound) = (0, 1);
                else (bucket.LowerBound, bucket.UpperBound) = (1L << (index - 2), index - 2 >= 62 ? null : 1L << (index - 1));
            }
            else if (index == 0) bucket.UpperBound = LinearMin;
            else if (index > LinearBuckets) bucket.LowerBound = LinearMin + LinearBuckets * LinearStep;
            else (bucket.LowerBound, bucket.UpperBound) = (LinearMin + (index - 1) * LinearStep, LinearMin + index * LinearStep);
            return bucket;
        }

        /// <summary>What the value is called in the results: "Duration (ns)".</summary>
        internal string ValueName => Value is null ? "" : Value.Unit.Length > 0 ? $"{Value.Name} ({Value.Unit})" : Value.Name;
    }
}
