using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace EbpfPS
{
    /// <summary>A measurement's histogram: its buckets from the lowest that counted to the highest. As text (what
    /// Export-Csv writes) the ranges and counts: "[1K, 2K): 12; [2K, 4K): 0; [4K, 8K): 3".</summary>
    public sealed class BpfHistogram : ReadOnlyCollection<BpfHistogramBucket>
    {
        public BpfHistogram() : base(new List<BpfHistogramBucket>()) { }

        internal BpfHistogram(IList<BpfHistogramBucket> buckets) : base(buckets) { }

        public override string ToString() => string.Join("; ", this.Select(b => b.ToString()));
    }
}
