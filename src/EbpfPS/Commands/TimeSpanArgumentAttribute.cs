using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace EbpfPS.Commands
{
    /// <summary>Lets a TimeSpan parameter take what people type: a number of seconds (5, 1.5), units (500ms, 5s,
    /// 2m, 1h30m, 1d), hh:mm:ss (00:00:05) or a TimeSpan. PowerShell's own conversion reads 5 and '5s' as ticks
    /// or days, so `-Duration 5` would end a trace in microseconds.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class TimeSpanArgumentAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case TimeSpan:
                    return value;
                case string text:
                    if (TimeSpanText.TryParse(text, out var parsed)) return parsed;
                    throw new ArgumentTransformationMetadataException(
                        $"'{text}' is not a time span. Give seconds (5), a number with units (500ms, 5s, 2m, 1h30m, 1d) or hours:minutes:seconds (00:00:05).");
                case byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
                    if (TimeSpanText.TryFromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture), out var seconds)) return seconds;
                    throw new ArgumentTransformationMetadataException($"{value} seconds is not a time span this module can wait for.");
                default:
                    return inputData; // PowerShell's own conversion, and its error
            }
        }
    }

    /// <summary>The text forms of <see cref="TimeSpanArgumentAttribute"/>.</summary>
    internal static class TimeSpanText
    {
        private static readonly Regex Units = new(@"\G\s*(?<n>\d+(?:\.\d+)?)\s*(?<unit>ms|s|m|h|d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        internal static bool TryParse(string text, out TimeSpan value)
        {
            value = default;
            text = text.Trim();
            if (text.Length == 0) return false;
            // A plain number is seconds (TimeSpan.Parse would read "5" as five days).
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
                return TryFromSeconds(number, out value);
            if (text.Contains(':'))
                return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
            return TryParseUnits(text, out value);
        }

        internal static bool TryFromSeconds(double seconds, out TimeSpan value)
        {
            value = default;
            if (double.IsNaN(seconds) || Math.Abs(seconds) >= TimeSpan.MaxValue.TotalSeconds) return false;
            value = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
            return true;
        }

        /// <summary>1h30m, 2m, 500ms, 1.5s: each unit once at most, largest first.</summary>
        private static bool TryParseUnits(string text, out TimeSpan value)
        {
            value = default;
            double seconds = 0;
            int end = 0, lastRank = int.MaxValue;
            for (var match = Units.Match(text); match.Success; match = match.NextMatch())
            {
                int rank = match.Groups["unit"].Value.ToLowerInvariant() switch { "d" => 4, "h" => 3, "m" => 2, "s" => 1, _ => 0 };
                if (rank >= lastRank) return false;
                lastRank = rank;
                double n = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
                seconds += n * rank switch { 4 => 86400, 3 => 3600, 2 => 60, 1 => 1, _ => 0.001 };
                end = match.Index + match.Length;
            }
            return end > 0 && end == text.Length && TryFromSeconds(seconds, out value);
        }
    }
}
