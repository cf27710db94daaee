using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EbpfPS.Core.TraceFs
{
    /// <summary>What a tracepoint's `print fmt:` line tells about its fields beyond their C types: which
    /// numbers have names (__print_symbolic) and which byte arrays are IP addresses (%pI4, %pI6).</summary>
    internal sealed partial class PrintFormat
    {
        [GeneratedRegex(@"%[-+ #0]*\d*(\.\d+)?(hh|h|ll|l|z)?(pI4|pI6c?|pIS[pc]*|p[a-zA-Z]*|[diouxXcsp])")]
        private static partial Regex Conversion();

        [GeneratedRegex(@"^REC->(?<field>\w+)$")]
        private static partial Regex FieldReference();

        [GeneratedRegex(@"__print_symbolic\(\s*REC->(?<field>\w+)\s*,")]
        private static partial Regex Symbolic();

        [GeneratedRegex(@"\{\s*(?<value>-?(0x[0-9a-fA-F]+|\d+))[UuLl]*\s*,\s*""(?<name>[^""]*)""\s*\}")]
        private static partial Regex SymbolEntry();

        private PrintFormat() { }

        /// <summary>Field name -> (value -> name), from __print_symbolic(REC->field, { 1, "NAME" }, ...).</summary>
        internal Dictionary<string, Dictionary<long, string>> Symbols { get; } = new(StringComparer.Ordinal);

        /// <summary>Fields printed as addresses: name -> 4 (IPv4) or 6 (IPv6).</summary>
        internal Dictionary<string, int> Addresses { get; } = new(StringComparer.Ordinal);

        internal static PrintFormat Parse(string printFmt)
        {
            var result = new PrintFormat();
            if (string.IsNullOrWhiteSpace(printFmt)) return result;
            int quoteEnd = ClosingQuote(printFmt);
            if (quoteEnd < 0) return result;
            string format = printFmt[1..quoteEnd];
            var arguments = SplitTopLevel(printFmt[(quoteEnd + 1)..].TrimStart(',', ' '));

            var conversions = Conversion().Matches(format);
            for (int i = 0; i < conversions.Count && i < arguments.Count; i++)
            {
                string spec = conversions[i].Groups[3].Value;
                var field = FieldReference().Match(arguments[i].Trim());
                if (!field.Success) continue;
                if (spec.StartsWith("pI4", StringComparison.Ordinal)) result.Addresses[field.Groups["field"].Value] = 4;
                else if (spec.StartsWith("pI6", StringComparison.Ordinal)) result.Addresses[field.Groups["field"].Value] = 6;
            }

            foreach (var argument in arguments)
            {
                var symbolic = Symbolic().Match(argument);
                if (!symbolic.Success) continue;
                var names = new Dictionary<long, string>();
                foreach (Match entry in SymbolEntry().Matches(argument, symbolic.Index))
                    names.TryAdd(ParseNumber(entry.Groups["value"].Value), entry.Groups["name"].Value);
                result.Symbols.TryAdd(symbolic.Groups["field"].Value, names);
            }
            return result;
        }

        private static long ParseNumber(string text) =>
            text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? (long)ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : long.Parse(text, CultureInfo.InvariantCulture);

        /// <summary>Index of the quote that closes the format string (skipping \" escapes).</summary>
        private static int ClosingQuote(string text)
        {
            if (text.Length == 0 || text[0] != '"') return -1;
            for (int i = 1; i < text.Length; i++)
            {
                if (text[i] == '\\') { i++; continue; }
                if (text[i] == '"') return i;
            }
            return -1;
        }

        /// <summary>Splits "a, f(b, c), { 1, "x" }" at the commas outside brackets and quotes.</summary>
        private static List<string> SplitTopLevel(string text)
        {
            var parts = new List<string>();
            int depth = 0, start = 0;
            bool quoted = false;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (quoted) { if (c == '\\') i++; else if (c == '"') quoted = false; continue; }
                switch (c)
                {
                    case '"': quoted = true; break;
                    case '(' or '{' or '[': depth++; break;
                    case ')' or '}' or ']': depth--; break;
                    case ',' when depth == 0:
                        parts.Add(text[start..i]);
                        start = i + 1;
                        break;
                }
            }
            if (start < text.Length) parts.Add(text[start..]);
            return parts;
        }
    }
}
