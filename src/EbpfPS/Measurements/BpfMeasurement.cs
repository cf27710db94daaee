using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace EbpfPS
{
    /// <summary>What Measure-BpfTrace counted in the kernel for one key (one process, command, syscall...) over
    /// an interval: the count of events and, when a value was measured, its sum, minimum, maximum, average and
    /// histogram. Each key part is also a property of its own (ProcessId, Command...), added by the cmdlet.</summary>
    public sealed class BpfMeasurement
    {
        /// <summary>The key's parts as text, joined: "1234, dd".</summary>
        public string Key { get; set; } = "";
        public long Count { get; set; }
        /// <summary>What Sum, Minimum, Maximum, Average and the histogram measure, with its unit: "Duration (ns)",
        /// "ReturnValue", "count"; empty when only events were counted.</summary>
        public string Value { get; set; } = "";
        public long? Sum { get; set; }
        public long? Minimum { get; set; }
        public long? Maximum { get; set; }
        public double? Average => Count > 0 && Sum is { } sum ? Math.Round((double)sum / Count, 2) : null;
        /// <summary>With -Histogram: the buckets from the lowest to the highest that counted anything.</summary>
        public BpfHistogram Histogram { get; set; } = new();
        /// <summary>When the interval ended (the measurement was read).</summary>
        public DateTime Timestamp { get; set; }
        /// <summary>How long the interval was: from the start of the trace, or from the previous measurement
        /// (-Interval without -Cumulative).</summary>
        public TimeSpan Interval { get; set; }
        /// <summary>Interval in seconds, for rates (Count / IntervalSeconds) and for ConvertTo-Json, which writes a
        /// TimeSpan as an object of 15 fields.</summary>
        public double IntervalSeconds => Interval.TotalSeconds;

        /// <summary>The key's parts by name, in the order of -By (also the object's own properties in PowerShell).</summary>
        internal IReadOnlyList<KeyValuePair<string, object?>> KeyParts { get; init; } = Array.Empty<KeyValuePair<string, object?>>();

        /// <summary>The histogram as bpftrace draws an @hist: one line per bucket with its range, count and a bar of
        /// @ in proportion to the largest bucket; <paramref name="width"/> columns at most.</summary>
        public string DrawHistogram(int width = 79)
        {
            if (Histogram.Count == 0) return "";
            // Columns as bpftrace's, wider where a range or count needs it; the bar takes what is left.
            int rangeWidth = Math.Max(20, Histogram.Max(b => b.Range.Length) + 1);
            int countWidth = Math.Max(10, Histogram.Max(b => b.Count).ToString(CultureInfo.InvariantCulture).Length + 1);
            int barWidth = Math.Max(1, width - rangeWidth - countWidth - 3);
            long largest = Math.Max(1, Histogram.Max(b => b.Count));
            var text = new StringBuilder();
            foreach (var bucket in Histogram)
            {
                int bar = (int)(bucket.Count * barWidth / largest);
                text.Append(bucket.Range.PadRight(rangeWidth))
                    .Append(bucket.Count.ToString(CultureInfo.InvariantCulture).PadLeft(countWidth))
                    .Append(" |").Append('@', bar).Append(' ', barWidth - bar).Append('|').Append('\n');
            }
            return text.ToString().TrimEnd('\n');
        }

        public override string ToString() => $"{Key}: {Count}";
    }
}
