using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace EbpfPS.Core.TraceFs
{
    /// <summary>The tracepoints of this kernel as tracefs lists them (events/CATEGORY/NAME/format).</summary>
    internal static class Tracepoints
    {
        /// <summary>All CATEGORY:NAME pairs, sorted.</summary>
        internal static IEnumerable<(string Category, string Name)> List(string traceFs)
        {
            var events = new DirectoryInfo(Path.Combine(traceFs, "events"));
            foreach (var category in events.EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
                foreach (var name in category.EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
                    if (File.Exists(Path.Combine(name.FullName, "format")))
                        yield return (category.Name, name.Name);
        }

        /// <summary>The formats of the tracepoints matching CATEGORY:NAME, where both may hold * and ? wildcards
        /// ("sock:*", "syscalls:sys_enter_open*"). A pattern that matches nothing is an error naming the pattern.</summary>
        internal static List<TracepointFormat> Resolve(string traceFs, string pattern, Func<BpfException>? notFound = null)
        {
            int colon = pattern.IndexOfAny(new[] { ':', '/' });
            if (colon <= 0 || colon == pattern.Length - 1)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"'{pattern}' is not a tracepoint name of the form CATEGORY:NAME.",
                    "Name it like sock:inet_sock_set_state; Get-BpfTracepoint lists them.") { ErrorId = BpfErrorIds.InvalidTracepointName };
            var category = Glob(pattern[..colon]);
            var name = Glob(pattern[(colon + 1)..]);
            var found = List(traceFs).Where(t => category.IsMatch(t.Category) && name.IsMatch(t.Name))
                .Select(t => TracepointFormat.Read(traceFs, t.Category, t.Name)).ToList();
            if (found.Count == 0)
                throw notFound?.Invoke() ?? new BpfException(BpfErrorKind.NotFound, $"No tracepoint of this kernel matches '{pattern}'.",
                    "Get-BpfTracepoint lists the tracepoints (Get-BpfTracepoint -Name 'sock:*').") { ErrorId = BpfErrorIds.TracepointNotFound };
            return found;
        }

        /// <summary>A shell-style wildcard (* and ?) as an anchored, case-sensitive regular expression.</summary>
        internal static Regex Glob(string pattern) =>
            new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$");
    }
}
