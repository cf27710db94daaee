using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace EbpfPS.Commands
{
    /// <summary>-Name and -Type filters: wildcards, case-insensitive. A kernel name is cut at 15 characters,
    /// so a longer name without wildcards matches its first 15. Names without wildcards that matched
    /// nothing are reported, as Get-Process does.</summary>
    internal sealed class NameFilter
    {
        private const int KernelNameLength = 15;
        private readonly (string Text, WildcardPattern Pattern, bool Literal)[] _patterns;
        private readonly HashSet<string> _matched = new(StringComparer.OrdinalIgnoreCase);

        internal NameFilter(string[]? patterns) =>
            _patterns = (patterns ?? Array.Empty<string>()).Select(p => (p, new WildcardPattern(
                !WildcardPattern.ContainsWildcardCharacters(p) && p.Length > KernelNameLength ? p[..KernelNameLength] : p,
                WildcardOptions.IgnoreCase), !WildcardPattern.ContainsWildcardCharacters(p))).ToArray();

        internal bool Matches(string name)
        {
            if (_patterns.Length == 0) return true;
            bool any = false;
            foreach (var (text, pattern, _) in _patterns)
                if (pattern.IsMatch(name))
                {
                    _matched.Add(text);
                    any = true;
                }
            return any;
        }

        /// <summary>The names without wildcards that matched nothing.</summary>
        internal IEnumerable<string> Unmatched() => _patterns.Where(p => p.Literal && !_matched.Contains(p.Text)).Select(p => p.Text);
    }
}
