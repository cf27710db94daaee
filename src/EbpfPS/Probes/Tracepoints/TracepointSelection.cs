using System.Collections.Generic;
using System.Linq;
using EbpfPS.Core.TraceFs;

namespace EbpfPS.Probes.Tracepoints
{
    /// <summary>The tracepoints that -Tracepoint's patterns name (CATEGORY:NAME, wildcards allowed), each once; and which
    /// of them only a wildcard matched, which a probe may skip when they cannot be attached (what was named is
    /// attached or the trace fails).</summary>
    internal sealed record TracepointSelection(List<TracepointFormat> Formats, HashSet<int> Skippable)
    {
        internal static TracepointSelection Resolve(string traceFs, IEnumerable<string> patterns)
        {
            var byPattern = patterns.Select(pattern => (Wildcard: pattern.IndexOfAny(new[] { '*', '?' }) >= 0, Formats: Core.TraceFs.Tracepoints.Resolve(traceFs, pattern))).ToList();
            var formats = byPattern.SelectMany(p => p.Formats).GroupBy(f => f.Id).Select(g => g.First()).ToList();
            var named = byPattern.Where(p => !p.Wildcard).SelectMany(p => p.Formats).Select(f => f.Id).ToHashSet();
            return new TracepointSelection(formats, formats.Select(f => f.Id).Where(id => !named.Contains(id)).ToHashSet());
        }
    }
}
