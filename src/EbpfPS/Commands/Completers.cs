using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using EbpfPS.Core;
using EbpfPS.Introspection.Features;
using EbpfPS.Introspection;
using EbpfPS.Probes;
using EbpfPS.Probes.Signals;

namespace EbpfPS.Commands
{
    /// <summary>Tab completion of names of kernel things, read from the live system when asked. Each completer
    /// lists candidates; this matches them to what was typed (a prefix, or a wildcard pattern), sorts and
    /// quotes them. A system that cannot be read (no root, no tracefs) completes nothing rather than failing.</summary>
    public abstract class NameCompleter : IArgumentCompleter
    {
        private const int MaxResults = 500;

        /// <param name="bound">The parameters bound so far, as the console evaluated them (variables included).</param>
        private protected abstract IEnumerable<string> Candidates(string commandName, string typed, IDictionary bound);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = wordToComplete.Trim('\'', '"');
            var pattern = new WildcardPattern(WildcardPattern.ContainsWildcardCharacters(typed) ? typed : typed + "*", WildcardOptions.IgnoreCase);
            List<string> names;
            try { names = Candidates(commandName, typed, fakeBoundParameters).Where(pattern.IsMatch).Distinct().Order(StringComparer.Ordinal).Take(MaxResults).ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or BpfException) { names = new(); }
            return names.Select(name => new CompletionResult(Quoted(name), name, CompletionResultType.ParameterValue, name));
        }

        private static string Quoted(string name) =>
            name.Any(c => char.IsWhiteSpace(c) || "'\"$`;,(){}|&@#<>".Contains(c)) ? $"'{name.Replace("'", "''")}'" : name;

        /// <summary>"category:name" of every tracepoint, from tracefs's available_events.</summary>
        private protected static IEnumerable<string> TracefsEvents()
        {
            string? traceFs = KernelSupport.TraceFsPaths.FirstOrDefault(p => File.Exists(Path.Combine(p, "available_events")));
            return traceFs is null ? Array.Empty<string>() : File.ReadLines(Path.Combine(traceFs, "available_events"));
        }
    }

    /// <summary>-Tracepoint, Get-BpfTracepoint -Name: category:name.</summary>
    public sealed class TracepointCompleter : NameCompleter
    {
        private protected override IEnumerable<string> Candidates(string commandName, string typed, IDictionary bound) => TracefsEvents();
    }

    /// <summary>-Syscall: the names of the syscalls:sys_enter_* tracepoints.</summary>
    public sealed class SyscallCompleter : NameCompleter
    {
        private const string Prefix = "syscalls:sys_enter_";

        private protected override IEnumerable<string> Candidates(string commandName, string typed, IDictionary bound) =>
            TracefsEvents().Where(e => e.StartsWith(Prefix, StringComparison.Ordinal)).Select(e => e[Prefix.Length..]);
    }

    /// <summary>-KernelFunction, Get-BpfKernelFunction -Name: function symbols of /proc/kallsyms that start as
    /// typed (kallsyms holds some 200,000 symbols: only those of the typed prefix are parsed).</summary>
    public sealed class KernelFunctionCompleter : NameCompleter
    {
        private protected override IEnumerable<string> Candidates(string commandName, string typed, IDictionary bound)
        {
            int wildcard = typed.IndexOfAny(new[] { '*', '?', '[' });
            string prefix = wildcard < 0 ? typed : typed[..wildcard];
            foreach (var line in File.ReadLines(Kallsyms.DefaultPath))
            {
                int name = line.IndexOf(' ', line.IndexOf(' ') + 1) + 1; // "address type name [module]"
                if (name <= 0 || string.CompareOrdinal(line, name, prefix, 0, prefix.Length) != 0) continue;
                if (KernelSymbol.Parse(line) is { IsFunction: true } symbol) yield return symbol.Name;
            }
        }
    }

    /// <summary>-UserFunction: FILE:FUNCTION with the functions of FILE that start as typed after the
    /// colon (FILE found as the trace will find it, with a -ProcessId typed before); before a colon the console
    /// completes FILE as the path it is.</summary>
    public sealed class UserFunctionCompleter : NameCompleter
    {
        private protected override IEnumerable<string> Candidates(string commandName, string typed, IDictionary bound)
        {
            int colon = typed.LastIndexOf(':');
            if (colon <= 0) return Array.Empty<string>();
            string file = typed[..colon];
            string function = typed[(colon + 1)..];
            int? processId = bound["ProcessId"] switch { int pid => pid, int[] { Length: 1 } pids => pids[0], object[] { Length: 1 } ids when ids[0] is int pid => pid, _ => null };
            string pattern = WildcardPattern.ContainsWildcardCharacters(function) ? function : function + "*";
            return Probes.UserFunctions.UserFunctions.Functions(Probes.UserFunctions.UserFunctions.Binary(file, processId), pattern)
                .Select(f => $"{file}:{f.Name}");
        }
    }

    /// <summary>-Signal: the names kill -l prints, real-time ones as SIGRTMIN+n.</summary>
    public sealed class SignalCompleter : NameCompleter
    {
        private protected override IEnumerable<string> Candidates(string commandName, string typed, IDictionary bound)
        {
            var names = Enumerable.Range(1, SignalNames.Max).Where(s => s is < 32 or >= SignalNames.RealTimeMin).Select(SignalNames.Name);
            // "KILL" completes as well as "SIGKILL", each to the form typed
            return typed.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) || typed.Length == 0 ? names : names.Select(n => n[3..]);
        }
    }

    /// <summary>-Interface: the network interfaces of this network namespace.</summary>
    public sealed class InterfaceCompleter : NameCompleter
    {
        private protected override IEnumerable<string> Candidates(string commandName, string typed, IDictionary bound) =>
            new DirectoryInfo("/sys/class/net").EnumerateFileSystemInfos().Select(d => d.Name);
    }

    /// <summary>-Name of the registration cmdlets: the registrations pinned now.</summary>
    public sealed class RegistrationCompleter : NameCompleter
    {
        private protected override IEnumerable<string> Candidates(string commandName, string typed, IDictionary bound) =>
            Registrations.RegistrationPins.Names();
    }

    /// <summary>-Type of Get-BpfProgram, Get-BpfMap, Get-BpfLink: the type names bpftool uses.</summary>
    public sealed class BpfTypeCompleter : NameCompleter
    {
        private protected override IEnumerable<string> Candidates(string commandName, string typed, IDictionary bound) => commandName switch
        {
            "Get-BpfProgram" => BpfTypeNames.ProgramTypes().Select(t => t.Name),
            "Get-BpfMap" => BpfTypeNames.MapTypes().Select(t => t.Name),
            "Get-BpfLink" => BpfTypeNames.LinkTypes().Select(t => t.Name),
            _ => Array.Empty<string>(),
        };
    }

    /// <summary>Get-BpfFeature -Name: the names of the features it probes, of the -Category given if one is
    /// (nothing is probed to complete them).</summary>
    public sealed class FeatureNameCompleter : NameCompleter
    {
        private protected override IEnumerable<string> Candidates(string commandName, string typed, IDictionary bound)
        {
            var categories = new NameFilter(bound.Contains("Category") ? LanguagePrimitives.ConvertTo<string[]>(bound["Category"]) : null);
            var names = Enumerable.Empty<string>();
            if (categories.Matches(KernelFeatures.Kernel)) names = names.Concat(KernelFeatures.KernelNames);
            if (categories.Matches(KernelFeatures.ProgramType)) names = names.Concat(BpfTypeNames.ProgramTypes().Select(t => t.Name));
            if (categories.Matches(KernelFeatures.MapType)) names = names.Concat(BpfTypeNames.MapTypes().Select(t => t.Name));
            return names;
        }
    }

    /// <summary>-Name of the map cmdlets: with -Trace, the maps of that running trace; else the names of the maps
    /// loaded in the kernel now.</summary>
    public sealed class MapNameCompleter : NameCompleter
    {
        private protected override IEnumerable<string> Candidates(string commandName, string typed, IDictionary bound)
        {
            if (bound.Contains("Trace")) return BpfMapCommand.TraceFrom(bound["Trace"])?.MapNames ?? Array.Empty<string>();
            return KernelObjectIds.All(BpfObjectKind.Map).Select(id => LoadedObjects.Map(id)?.Name).OfType<string>();
        }
    }

    /// <summary>-Command: the names of the processes running now (their comm).</summary>
    public sealed class CommandNameCompleter : NameCompleter
    {
        private protected override IEnumerable<string> Candidates(string commandName, string typed, IDictionary bound)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!char.IsAsciiDigit(Path.GetFileName(dir)[0])) continue;
                string? comm = null;
                try { comm = File.ReadAllText(Path.Combine(dir, "comm")).TrimEnd('\n'); }
                catch (IOException) { } // exited meanwhile
                if (!string.IsNullOrEmpty(comm)) yield return comm;
            }
        }
    }

    /// <summary>-Cgroup: the cgroups below the one typed, as paths relative to the cgroup v2 mount
    /// (system.slice/ssh.service), one level at a time.</summary>
    public sealed class CgroupCompleter : NameCompleter
    {
        private protected override IEnumerable<string> Candidates(string commandName, string typed, IDictionary bound)
        {
            var mounts = TaskFilter.CgroupMounts(File.ReadLines("/proc/self/mountinfo"));
            if (mounts.Count == 0) return Array.Empty<string>();
            string parent = typed.Contains('/') ? typed[..typed.LastIndexOf('/')] : "";
            string directory = Path.Combine(mounts[0], parent);
            return Directory.Exists(directory)
                ? new DirectoryInfo(directory).EnumerateDirectories().Select(d => parent.Length == 0 ? d.Name : $"{parent}/{d.Name}")
                : Array.Empty<string>();
        }
    }
}

namespace EbpfPS.Commands
{
    /// <summary>Measure-BpfTrace's keys or values: those of an exec, or those every syscall or tracepoint has and the
    /// arguments or fields of the syscalls or tracepoints already given.</summary>
    public abstract class MeasureFieldCompleter : NameCompleter
    {
        /// <summary>Keys (-By) rather than values.</summary>
        private protected abstract bool Keys { get; }

        private protected override IEnumerable<string> Candidates(string commandName, string typed, IDictionary bound)
        {
            string? traceFs = KernelSupport.TraceFsPaths.FirstOrDefault(Directory.Exists);
            if (bound.Contains("Exec"))
                return Keys ? Probes.Exec.ExecMeasures.KeyNames : Probes.Exec.ExecMeasures.ValueNames;
            if (bound.Contains("UserFunction"))
                return Keys ? Probes.UserFunctions.UserFunctionMeasures.KeyNames.Concat(Enumerable.Range(0, 6).Select(i => $"arg{i}"))
                    : Probes.KernelFunctions.KernelFunctionMeasures.ValueNames.Concat(Enumerable.Range(0, 6).Select(i => $"arg{i}"));
            if (bound["KernelFunction"] is { } function)
                return (Keys ? Probes.KernelFunctions.KernelFunctionMeasures.KeyNames : Probes.KernelFunctions.KernelFunctionMeasures.ValueNames)
                    .Concat(Core.Btf.KernelBtf.Load().Function(function.ToString() ?? "")?.Parameters.Select(p => p.Name) ?? Enumerable.Empty<string>());
            if (bound["Tracepoint"] is { } tracepoints)
            {
                var names = new List<string>(Keys ? Probes.Tracepoints.TracepointMeasures.KeyNames : Array.Empty<string>());
                if (traceFs is not null)
                    names.AddRange(Probes.Tracepoints.TracepointSelection.Resolve(traceFs, LanguagePrimitives.ConvertTo<string[]>(tracepoints)).Formats
                        .SelectMany(f => f.OwnFields).Where(f => Keys ? !f.IsDataLoc || f.Kind == Core.TraceFs.FieldKind.String : !f.IsDataLoc && f.Kind == Core.TraceFs.FieldKind.Integer).Select(f => f.Name));
                return names;
            }
            var syscallNames = new List<string>(Keys ? Probes.Syscalls.SyscallMeasures.KeyNames : Probes.Syscalls.SyscallMeasures.ValueNames);
            if (bound["Syscall"] is { } syscalls && traceFs is not null)
                syscallNames.AddRange(Probes.Syscalls.Syscall.Resolve(traceFs, LanguagePrimitives.ConvertTo<string[]>(syscalls))
                    .SelectMany(s => s.Arguments).Select(a => a.Name));
            return syscallNames;
        }
    }

    /// <summary>Measure-BpfTrace -By.</summary>
    public sealed class MeasureKeyCompleter : MeasureFieldCompleter
    {
        private protected override bool Keys => true;
    }

    /// <summary>Measure-BpfTrace -Sum, -Average, -Minimum, -Maximum, -Histogram.</summary>
    public sealed class MeasureValueCompleter : MeasureFieldCompleter
    {
        private protected override bool Keys => false;
    }
}
