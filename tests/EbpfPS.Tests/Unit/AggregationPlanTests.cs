using System;
using System.Linq;
using EbpfPS.Bpf;
using EbpfPS.Core;
using EbpfPS.Probes.Aggregation;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Measure-BpfTrace's buckets as user space names them: the same numbering as bpf/aggregate.h's agg_bucket.</summary>
    public class AggregationPlanTests
    {
        private static readonly AggregateField Duration = new("Duration", AggregateField.Field(0, 8), (w, _) => (long)w, "ns");

        private static AggregationPlan Log2() => new(Array.Empty<AggregateField>(), Duration, HistogramKind.PowerOfTwo);

        [Theory]
        [InlineData(0, null, 0L, "(..., 0)")]
        [InlineData(1, 0L, 1L, "[0]")]
        [InlineData(2, 1L, 2L, "[1]")]
        [InlineData(3, 2L, 4L, "[2, 4)")]
        [InlineData(12, 1024L, 2048L, "[1K, 2K)")]
        [InlineData(23, 2097152L, 4194304L, "[2M, 4M)")]
        public void Power_of_two_buckets_have_the_bounds_bpftrace_prints(int index, long? lower, long? upper, string range)
        {
            var bucket = Log2().Bucket(index, 7);
            Assert.Equal((lower, upper, 7L), (bucket.LowerBound, bucket.UpperBound, bucket.Count));
            Assert.Equal(range, bucket.Range);
        }

        [Fact]
        public void The_last_power_of_two_bucket_is_open_above()
        {
            var plan = Log2();
            var last = plan.Bucket(plan.BucketCount - 1, 1);
            Assert.Equal(1L << 62, last.LowerBound);
            Assert.Null(last.UpperBound);
            Assert.Equal(65, plan.BucketCount);
        }

        [Fact]
        public void Linear_buckets_run_from_the_minimum_in_steps_with_one_below_and_one_above()
        {
            var plan = new AggregationPlan(Array.Empty<AggregateField>(), Duration, HistogramKind.Linear, 0, 100, 30);
            Assert.Equal(4, plan.LinearBuckets); // 0-30, 30-60, 60-90, 90-120: the maximum falls in the last
            var ranges = Enumerable.Range(0, plan.BucketCount).Select(i => plan.Bucket(i, 1).Range).ToArray();
            Assert.Equal(new[] { "(..., 0)", "[0, 30)", "[30, 60)", "[60, 90)", "[90, 120)", "[120, ...)" }, ranges);
        }

        [Theory]
        [InlineData(10, 0, 1)]
        [InlineData(0, 10, 0)]
        [InlineData(0, 10, -1)]
        [InlineData(0, 1_000_001, 1000)]
        public void Linear_buckets_that_make_no_histogram_are_refused(long min, long max, long step)
        {
            var e = Assert.Throws<BpfException>(() => new AggregationPlan(Array.Empty<AggregateField>(), Duration, HistogramKind.Linear, min, max, step));
            Assert.Equal(BpfErrorIds.InvalidLinearBuckets, e.ErrorId);
        }

        [Fact]
        public void More_keys_than_the_kernel_key_holds_are_refused()
        {
            var keys = Enumerable.Repeat(Duration, Aggregation.PartsLength + 1).ToList();
            var e = Assert.Throws<BpfException>(() => new AggregationPlan(keys, null));
            Assert.Equal(BpfErrorIds.MeasureKeysTooMany, e.ErrorId);
        }

        [Fact]
        public void A_second_text_key_is_refused()
        {
            var name = new AggregateField("filename", AggregateField.Text(AggSource.Text, 0, 8), (_, _) => null);
            var comm = new AggregateField("parent_comm", AggregateField.Text(AggSource.DataLoc, 0, 8), (_, _) => null);
            Assert.True(name.IsText);
            Assert.False(Duration.IsText);
            _ = new AggregationPlan(new[] { name, Duration }, null);
            var e = Assert.Throws<BpfException>(() => new AggregationPlan(new[] { name, comm }, null));
            Assert.Equal(BpfErrorIds.MeasureKeysTooMany, e.ErrorId);
        }

        [Fact]
        public void Linear_bounds_of_a_step_that_is_no_multiple_of_1024_print_as_plain_numbers_the_way_lhist_prints_them()
        {
            var plan = new AggregationPlan(Array.Empty<AggregateField>(), Duration, HistogramKind.Linear, 0, 1_000_000_000, 100_000_000);
            Assert.Equal("[400000000, 500000000)", plan.Bucket(5, 1).Range);
            var kilo = new AggregationPlan(Array.Empty<AggregateField>(), Duration, HistogramKind.Linear, 0, 10240, 1024);
            Assert.Equal("[4K, 5K)", kilo.Bucket(5, 1).Range);
        }

        [Fact]
        public void A_histogram_of_wide_ranges_and_counts_is_still_drawn_within_the_width()
        {
            var plan = new AggregationPlan(Array.Empty<AggregateField>(), Duration, HistogramKind.Linear, 0, 1_000_000_000, 100_000_000);
            var measurement = new BpfMeasurement
            {
                Histogram = new BpfHistogram(Enumerable.Range(0, plan.BucketCount).Select(i => plan.Bucket(i, 12_345_678_901L + i)).ToList()),
            };
            var lines = measurement.DrawHistogram(79).Split('\n');
            Assert.Equal(plan.BucketCount, lines.Length);
            Assert.All(lines, line => Assert.Equal(79, line.Length));
            Assert.All(lines, line => Assert.Matches(@"^\S.*\s12345678\d{3} \|@+\s*\|$", line));
        }

        [Fact]
        public void Only_fields_known_at_the_entry_make_the_probe_keep_its_entry_program()
        {
            var pid = new AggregateField("ProcessId", AggregateField.Field(16, 4), (w, _) => (int)w);
            var argument = pid with { Name = "fd", FromEntry = true };
            Assert.False(new AggregationPlan(new[] { pid }, null).NeedsEntry);
            Assert.True(new AggregationPlan(new[] { pid, argument }, null).NeedsEntry);
            Assert.True(new AggregationPlan(new[] { pid }, Duration with { FromEntry = true }).NeedsEntry);
        }

        [Fact]
        public void A_histogram_is_drawn_in_proportion_within_the_width()
        {
            var measurement = new BpfMeasurement
            {
                Histogram = new BpfHistogram(new[] { Log2().Bucket(12, 10), Log2().Bucket(13, 5), Log2().Bucket(14, 0) }),
            };
            var lines = measurement.DrawHistogram(79).Split('\n');
            Assert.Equal(3, lines.Length);
            Assert.All(lines, line => Assert.Equal(79, line.Length));
            int full = lines[0].Count(c => c == '@'), half = lines[1].Count(c => c == '@');
            Assert.Equal(full / 2, half);
            Assert.StartsWith("[1K, 2K)", lines[0]);
            Assert.DoesNotContain('@', lines[2]);
            Assert.Equal("[1K, 2K): 10; [2K, 4K): 5; [4K, 8K): 0", measurement.Histogram.ToString());
        }
    }
}
