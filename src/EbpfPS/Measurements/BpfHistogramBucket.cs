using System.Globalization;

namespace EbpfPS
{
    /// <summary>One bucket of a histogram counted in the kernel: the values from LowerBound up to, not including,
    /// UpperBound; a null bound is open (below the first bucket, at or above the last).</summary>
    public sealed class BpfHistogramBucket
    {
        public long? LowerBound { get; set; }
        public long? UpperBound { get; set; }
        public long Count { get; set; }

        /// <summary>Bounds printed as plain numbers: a linear histogram whose step is no multiple of 1024, where bpftrace's
        /// lhist prints 390625K as 400000000.</summary>
        internal bool PlainBounds { get; init; }

        /// <summary>The range as bpftrace prints it: [4K, 8K), [0, 10), [1] (a single value), (..., 0), [100, ...).</summary>
        public string Range => LowerBound is null ? $"(..., {Short(UpperBound!.Value)})"
            : UpperBound is null ? $"[{Short(LowerBound.Value)}, ...)"
            : UpperBound == LowerBound + 1 ? $"[{Short(LowerBound.Value)}]"
            : $"[{Short(LowerBound.Value)}, {Short(UpperBound.Value)})";

        public override string ToString() => $"{Range}: {Count}";

        /// <summary>Powers of 1024 as K, M, G, T, P, E; other numbers as they are.</summary>
        private string Short(long n)
        {
            if (PlainBounds) return n.ToString(CultureInfo.InvariantCulture);
            string[] units = { "", "K", "M", "G", "T", "P", "E" };
            int unit = 0;
            while (n != 0 && n % 1024 == 0 && unit < units.Length - 1)
            {
                n /= 1024;
                unit++;
            }
            return n.ToString(CultureInfo.InvariantCulture) + units[unit];
        }
    }
}
