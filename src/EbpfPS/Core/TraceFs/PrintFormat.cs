using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace EbpfPS.Core.TraceFs
{
    /// <summary>What a tracepoint's `print fmt:` tells about its fields beyond their C types: which
    /// numbers have names (__print_symbolic, __print_flags) and which byte arrays are IP addresses (%pI4, %pI6).</summary>
    internal sealed partial class PrintFormat
    {
        // %% prints a percent sign; a * width or precision takes an argument of its own (%.*s, %*pbl).
        [GeneratedRegex(@"%%|%[-+ #0]*(?<width>\d+|\*)?(\.(?<precision>\d+|\*))?(hh|h|ll|l|L|z|j|t)?(?<spec>pI4|pI6c?|pIS[pc]*|p[a-zA-Z]*|[diouxXcsp])")]
        private static partial Regex Conversion();

        [GeneratedRegex(@"^REC->(?<field>\w+)$")]
        private static partial Regex FieldReference();

        [GeneratedRegex(@"__print_symbolic\(\s*REC->(?<field>\w+)\s*,")]
        private static partial Regex Symbolic();

        [GeneratedRegex(@"__print_flags\(\s*REC->(?<field>\w+)\s*,\s*""(?<separator>[^""]*)""\s*,")]
        private static partial Regex Flags();

        [GeneratedRegex(@"\{\s*(?<value>[^{}""]+?)\s*,\s*""(?<name>[^""]*)""\s*\}")]
        private static partial Regex SymbolEntry();

        private PrintFormat(string text) => Text = text;

        /// <summary>The print fmt as the format file has it: the format string, then its arguments.</summary>
        internal string Text { get; }

        /// <summary>The format string, its adjacent literals ("a" "b") joined.</summary>
        internal string Format { get; private set; } = "";

        internal IReadOnlyList<string> Arguments { get; private set; } = Array.Empty<string>();

        /// <summary>How many arguments the format string's conversions take: Arguments.Count when all is understood.</summary>
        internal int ArgumentsTaken { get; private set; }

        /// <summary>Field name -> (value -> name), from __print_symbolic(REC->field, { 1, "NAME" }, ...).</summary>
        internal Dictionary<string, Dictionary<long, string>> Symbols { get; } = new(StringComparer.Ordinal);

        /// <summary>Field name -> its flag names, from __print_flags(REC->field, "|", { 1, "NAME" }, ...).</summary>
        internal Dictionary<string, PrintFlags> FlagNames { get; } = new(StringComparer.Ordinal);

        /// <summary>Fields printed as addresses: name -> 4 (IPv4) or 6 (IPv6).</summary>
        internal Dictionary<string, int> Addresses { get; } = new(StringComparer.Ordinal);

        internal static PrintFormat Parse(string printFmt)
        {
            var result = new PrintFormat(printFmt.Trim());
            int afterFormat = ReadFormatString(result.Text, out string format);
            if (afterFormat < 0) return result;
            result.Format = format;
            var arguments = SplitTopLevel(result.Text[afterFormat..].TrimStart(',', ' '));
            result.Arguments = arguments;
            result.FindAddresses(arguments);
            foreach (var argument in arguments)
            {
                foreach (Match symbolic in Symbolic().Matches(argument))
                    result.Symbols.TryAdd(symbolic.Groups["field"].Value, SymbolNames(CallBody(argument, symbolic)));
                foreach (Match flags in Flags().Matches(argument))
                    if (FlagMasks(CallBody(argument, flags)) is { } masks)
                        result.FlagNames.TryAdd(flags.Groups["field"].Value, new PrintFlags(flags.Groups["separator"].Value, masks));
            }
            return result;
        }

        /// <summary>Pairs each conversion with its argument; %pI4 and %pI6 of a plain REC->field mark an address.</summary>
        private void FindAddresses(List<string> arguments)
        {
            int argument = 0;
            foreach (Match conversion in Conversion().Matches(Format))
            {
                if (conversion.Value == "%%") continue;
                if (conversion.Groups["width"].Value == "*") argument++;
                if (conversion.Groups["precision"].Value == "*") argument++;
                if (argument < arguments.Count && FieldReference().Match(arguments[argument].Trim()) is { Success: true } field)
                {
                    string spec = conversion.Groups["spec"].Value;
                    if (spec.StartsWith("pI4", StringComparison.Ordinal)) Addresses[field.Groups["field"].Value] = 4;
                    else if (spec.StartsWith("pI6", StringComparison.Ordinal)) Addresses[field.Groups["field"].Value] = 6;
                }
                argument++;
            }
            ArgumentsTaken = argument;
        }

        private static Dictionary<long, string> SymbolNames(string body)
        {
            var names = new Dictionary<long, string>();
            foreach (Match entry in SymbolEntry().Matches(body))
                if (CConstant.TryEvaluate(entry.Groups["value"].Value, out long value))
                    names.TryAdd(value, entry.Groups["name"].Value);
            return names;
        }

        /// <summary>The masks in the format's order; null when one cannot be evaluated, since the kernel
        /// takes the masks in order and a missing one would shift the names of the others.</summary>
        private static List<(ulong, string)>? FlagMasks(string body)
        {
            var masks = new List<(ulong, string)>();
            foreach (Match entry in SymbolEntry().Matches(body))
            {
                if (!CConstant.TryEvaluate(entry.Groups["value"].Value, out long mask)) return null;
                masks.Add((unchecked((ulong)mask), entry.Groups["name"].Value));
            }
            return masks;
        }

        /// <summary>The text inside the parentheses of the call <paramref name="call"/> starts.</summary>
        private static string CallBody(string text, Match call)
        {
            int open = text.IndexOf('(', call.Index);
            int depth = 0;
            bool quoted = false;
            for (int i = open; i < text.Length; i++)
            {
                char c = text[i];
                if (quoted) { if (c == '\\') i++; else if (c == '"') quoted = false; continue; }
                if (c == '"') quoted = true;
                else if (c == '(') depth++;
                else if (c == ')' && --depth == 0) return text[(open + 1)..i];
            }
            return text[(open + 1)..];
        }

        /// <summary>Reads the leading string literals ("a" "b" is "ab", as in C); returns the index after
        /// the last one, or -1 when the text does not start with one.</summary>
        private static int ReadFormatString(string text, out string format)
        {
            var joined = new StringBuilder();
            int at = 0;
            while (at < text.Length && text[at] == '"')
            {
                int end = ClosingQuote(text, at);
                if (end < 0) break;
                joined.Append(text, at + 1, end - at - 1);
                at = end + 1;
                while (at < text.Length && char.IsWhiteSpace(text[at]) && NextNonSpace(text, at) == '"') at++;
            }
            format = joined.ToString();
            return at == 0 ? -1 : at;
        }

        private static char NextNonSpace(string text, int at)
        {
            while (at < text.Length && char.IsWhiteSpace(text[at])) at++;
            return at < text.Length ? text[at] : '\0';
        }

        /// <summary>Index of the quote that closes the literal opened at <paramref name="open"/> (skipping \" escapes).</summary>
        private static int ClosingQuote(string text, int open)
        {
            for (int i = open + 1; i < text.Length; i++)
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
