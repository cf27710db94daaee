using System.Collections.Generic;
using System.Globalization;

namespace EbpfPS.Core.TraceFs
{
    /// <summary>The flags column of a trace line (kernel/trace/trace_output.c, trace_print_lat_fmt) in words:
    /// irqs-off/BH-disabled, need-resched, hardirq/softirq/NMI context, preempt depth, migrate-disable depth.
    /// Kernels before 5.13 print four columns, without the last.</summary>
    internal static class TraceFlags
    {
        internal static string Describe(string flags)
        {
            var words = new List<string>();
            if (flags.Length > 0) Add(words, flags[0] switch
            {
                'd' => "irqs-off",
                'D' => "irqs-off, bh-off",
                'b' => "bh-off",
                'X' => "irqs-off not supported",
                _ => null,
            });
            if (flags.Length > 1) Add(words, flags[1] switch
            {
                'N' or 'n' => "need-resched",
                'B' or 'b' => "need-resched, need-resched-lazy",
                'L' or 'l' => "need-resched-lazy",
                'p' => "preempt-resched",
                _ => null,
            });
            if (flags.Length > 2) Add(words, flags[2] switch
            {
                'Z' => "nmi in hardirq",
                'z' => "nmi",
                'H' => "hardirq in softirq",
                'h' => "hardirq",
                's' => "softirq",
                _ => null,
            });
            if (flags.Length > 3) Add(words, Depth("preempt-depth", flags[3]));
            if (flags.Length > 4) Add(words, Depth("migrate-disable", flags[4]));
            return string.Join(", ", words);
        }

        private static string? Depth(string what, char digit) =>
            int.TryParse(digit.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int depth) && depth > 0
                ? $"{what} {depth}" : null;

        private static void Add(List<string> words, string? word)
        {
            if (word is not null) words.Add(word);
        }
    }
}
