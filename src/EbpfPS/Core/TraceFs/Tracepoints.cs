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
        /// <summary>All CATEGORY:NAME pairs, sorted; those of one category when it is given.</summary>
        internal static IEnumerable<(string Category, string Name)> List(string traceFs, string? onlyCategory = null)
        {
            var events = new DirectoryInfo(Path.Combine(traceFs, "events"));
            var categories = onlyCategory is null
                ? events.EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal)
                : new[] { new DirectoryInfo(Path.Combine(events.FullName, onlyCategory)) }.Where(d => IsFolderName(onlyCategory) && d.Exists);
            foreach (var category in categories)
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
            string category = pattern[..colon], name = pattern[(colon + 1)..];
            // A trace names its tracepoints: only their own folders are read, not the kernel's thousands of tracepoints.
            var candidates = IsWildcard(category) ? List(traceFs)
                : IsWildcard(name) ? List(traceFs, category)
                : Exists(traceFs, category, name) ? new[] { (category, name) } : Array.Empty<(string, string)>();
            Regex categoryMatch = Glob(category), nameMatch = Glob(name);
            var found = candidates.Where(t => categoryMatch.IsMatch(t.Category) && nameMatch.IsMatch(t.Name))
                .Select(t => TracepointFormat.Read(traceFs, t.Category, t.Name)).ToList();
            if (found.Count == 0)
                throw notFound?.Invoke() ?? new BpfException(BpfErrorKind.NotFound, $"No tracepoint of this kernel matches '{pattern}'.",
                    "Get-BpfTracepoint lists the tracepoints (Get-BpfTracepoint -Name 'sock:*').") { ErrorId = BpfErrorIds.TracepointNotFound };
            return found;
        }

        private static bool IsWildcard(string pattern) => pattern.IndexOfAny(new[] { '*', '?' }) >= 0;

        private static bool Exists(string traceFs, string category, string name) =>
            IsFolderName(category) && IsFolderName(name) && File.Exists(Path.Combine(traceFs, "events", category, name, "format"));

        /// <summary>A name that stays inside the folder it is looked up in.</summary>
        private static bool IsFolderName(string name) => !name.Contains('/') && name is not ("." or "..");

        /// <summary>A shell-style wildcard (* and ?) as an anchored, case-sensitive regular expression.</summary>
        internal static Regex Glob(string pattern) =>
            new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$");
    }
}
