using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace EbpfPS.Core
{
    /// <summary>A symbol of /proc/kallsyms: "ffffffff816d4e50 T do_unlinkat [module]".</summary>
    internal readonly record struct KernelSymbol(ulong Address, char Type, string Name, string? Module)
    {
        /// <summary>T/t: in the text (code) section, so something that can be called and probed.</summary>
        public bool IsFunction => Type is 'T' or 't';

        internal static KernelSymbol? Parse(string line)
        {
            var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || parts[1].Length != 1
                || !ulong.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong address))
                return null;
            string rest = parts[2];
            int bracket = rest.IndexOf("\t[", StringComparison.Ordinal);
            if (bracket < 0) bracket = rest.IndexOf(" [", StringComparison.Ordinal);
            return bracket < 0
                ? new KernelSymbol(address, parts[1][0], rest.Trim(), null)
                : new KernelSymbol(address, parts[1][0], rest[..bracket].Trim(), rest[(bracket + 2)..].TrimEnd(']', ' ', '\t'));
        }
    }

    /// <summary>The kernel's symbol table, /proc/kallsyms.</summary>
    internal static class Kallsyms
    {
        internal const string DefaultPath = "/proc/kallsyms";

        internal static IEnumerable<KernelSymbol> Read(string path = DefaultPath)
        {
            foreach (var line in File.ReadLines(path))
                if (KernelSymbol.Parse(line) is { } symbol)
                    yield return symbol;
        }
    }
}
