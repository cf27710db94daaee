using System.Collections.Generic;
using System.IO;
using System.Linq;
using System;
using EbpfPS.Core.Btf;
using EbpfPS.Core;

namespace EbpfPS.Probes.KernelFunctions
{
    /// <summary>Answers "can I hook it?" for kernel functions: /proc/kallsyms for presence, tracefs's
    /// available_filter_functions for traceability, the kernel's BTF for the prototype.</summary>
    internal static class KernelFunctionCatalog
    {
        internal static IEnumerable<BpfKernelFunctionInfo> Find(Func<string, bool> nameMatches)
        {
            var traceable = TraceableFunctions();
            bool kprobes = KernelFunctionSupport.HasKprobes;
            var fentry = new Lazy<bool>(() => KernelFunctionSupport.FentryWorks());
            var btf = KernelBtf.Load();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var symbol in Kallsyms.Read())
            {
                if (!symbol.IsFunction || !nameMatches(symbol.Name) || !seen.Add(symbol.Name)) continue;
                var prototype = btf.Function(symbol.Name);
                bool? isTraceable = traceable?.Contains(symbol.Name);
                yield return new BpfKernelFunctionInfo
                {
                    Name = symbol.Name,
                    Module = symbol.Module ?? "",
                    Address = symbol.Address,
                    Traceable = isTraceable,
                    HasBtf = prototype is not null,
                    Prototype = prototype?.Prototype ?? "",
                    KprobeAvailable = kprobes && isTraceable != false,
                    FentryAvailable = prototype is not null && isTraceable != false && fentry.Value,
                };
            }
        }

        /// <summary>available_filter_functions ("name" or "name [module]" per line), or null where it cannot be read.</summary>
        private static HashSet<string>? TraceableFunctions()
        {
            foreach (var traceFs in KernelSupport.TraceFsPaths)
            {
                try
                {
                    return File.ReadLines(Path.Combine(traceFs, "available_filter_functions"))
                        .Select(line => line.Split(' ', 2)[0]).ToHashSet(StringComparer.Ordinal);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
            return null;
        }
    }
}
