using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace EbpfPS.Core.Symbols
{
    /// <summary>A JIT's symbols for perf: /tmp/perf-PID.map, "START SIZE NAME" a line in hex, as .NET
    /// (DOTNET_PerfMapEnabled=1), node --perf-basic-prof and Java agents write it.</summary>
    internal sealed class PerfMap
    {
        private readonly (ulong Start, ulong Size, string Name)[] _entries;

        private PerfMap(string path, IEnumerable<(ulong, ulong, string)> entries)
        {
            Path = path;
            // a method compiled again (tiered compilation) gets a new address; the entries do not overlap
            _entries = entries.OrderBy(e => e.Item1).ToArray();
        }

        internal string Path { get; }

        internal static string PathOf(int pid) => $"/tmp/perf-{pid}.map";

        /// <summary>Process PID's map, or null when it writes none.</summary>
        internal static PerfMap? Read(int pid) => Read(PathOf(pid));

        internal static PerfMap? Read(string path)
        {
            try
            {
                return File.Exists(path) ? new PerfMap(path, File.ReadLines(path).Select(Parse).OfType<(ulong, ulong, string)>().ToList()) : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static (ulong, ulong, string)? Parse(string line)
        {
            var fields = line.Split(' ', 3);
            if (fields.Length == 3
                && ulong.TryParse(Hex(fields[0]), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                && ulong.TryParse(Hex(fields[1]), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong size))
                return (start, size, fields[2].Trim());
            return null;
        }

        private static ReadOnlySpan<char> Hex(string text) =>
            text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.AsSpan(2) : text;

        /// <summary>The method whose code holds ADDRESS, and how far into it.</summary>
        internal (string Name, ulong Offset)? Find(ulong address)
        {
            int low = 0, high = _entries.Length - 1, found = -1;
            while (low <= high)
            {
                int middle = low + (high - low) / 2;
                if (_entries[middle].Start <= address) { found = middle; low = middle + 1; }
                else high = middle - 1;
            }
            if (found < 0) return null;
            var entry = _entries[found];
            return address < entry.Start + Math.Max(entry.Size, 1) ? (entry.Name, address - entry.Start) : null;
        }
    }
}
