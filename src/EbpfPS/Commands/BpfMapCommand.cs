using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EbpfPS.Core.Btf;
using EbpfPS.Introspection.Maps;
using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Introspection;

namespace EbpfPS.Commands
{
    /// <summary>What Read-BpfMap, Write-BpfMap and Remove-BpfMapEntry share: choosing maps by -Id, -Name,
    /// -Path or a running trace's -Trace and -Name, and their codecs (BTF fetched once per BTF object).</summary>
    public abstract class BpfMapCommand : PSCmdlet
    {
        private protected const string ById = "Id", ByName = "Name", ByPath = "Path", ByTrace = "Trace";
        private readonly Dictionary<uint, BtfSpec?> _btfById = new();

        /// <summary>Maps by id, as Get-BpfMap lists them.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ById)]
        [ValidateNotNullOrEmpty]
        public uint[]? Id { get; set; }

        /// <summary>Maps by name (wildcards allowed), or, with -Trace, the name of a map of the trace.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByTrace)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(MapNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Maps pinned on a bpffs, by path.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByPath)]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>A running trace: the object Start-BpfTrace -AsJob returns, or its Trace property.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByTrace)]
        [ValidateNotNull]
        public object? Trace { get; set; }

        /// <summary>The maps the parameters name, opened; what names none is an error written on the way.</summary>
        private protected IEnumerable<KernelMap> SelectedMaps()
        {
            switch (ParameterSetName)
            {
                case ById:
                    foreach (var id in Id!)
                        if (TryOpen(() => KernelMap.Open(id), id) is { } map) yield return map;
                    break;
                case ByPath:
                    foreach (var path in Path!)
                    {
                        string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                        if (TryOpen(() => KernelMap.OpenPinned(full), path) is { } map) yield return map;
                    }
                    break;
                case ByTrace:
                    var trace = TraceOf(Trace);
                    foreach (var name in Name!)
                        if (TryOpen(() => OpenTraceMap(trace, name), name) is { } map) yield return map;
                    break;
                default:
                    var filter = new NameFilter(Name);
                    var ids = MapIds(filter);
                    foreach (var id in ids)
                        if (TryOpen(() => KernelMap.Open(id), id, quietIfGone: true) is { } map) yield return map;
                    foreach (var name in filter.Unmatched())
                        WriteError(BpfErrors.From(new BpfException(BpfErrorKind.NotFound, $"There is no BPF map named '{name}'.",
                            "Get-BpfMap lists the maps loaded in the kernel; names longer than 15 characters are cut to 15.") { ErrorId = BpfErrorIds.BpfMapNotFound }, name));
                    break;
            }
        }

        /// <summary>The ids of the loaded maps whose names match; a failure to list them (no CAP_SYS_ADMIN) terminates.</summary>
        private List<uint> MapIds(NameFilter filter)
        {
            try { return LoadedObjects.Maps().Where(m => filter.Matches(m.Name)).Select(m => m.Id).ToList(); }
            catch (BpfException e)
            {
                ThrowTerminatingError(BpfErrors.From(e));
                return null!;
            }
        }

        /// <summary>The one map the parameters name; terminates when they name none or several.</summary>
        private protected KernelMap SelectedMap()
        {
            var maps = SelectedMaps().ToList();
            if (maps.Count == 1) return maps[0];
            foreach (var map in maps) map.Dispose();
            if (maps.Count == 0)
                ThrowTerminatingError(BpfErrors.From(new BpfException(BpfErrorKind.NotFound, "No map was found to work on.",
                    "Get-BpfMap lists the maps loaded in the kernel.") { ErrorId = BpfErrorIds.BpfMapNotFound }));
            ThrowTerminatingError(BpfErrors.From(new BpfException(BpfErrorKind.InvalidArgument,
                $"{maps.Count} maps match ({string.Join(", ", maps.Select(m => m.Description))}); this command changes one map at a time.",
                "Name the map by -Id or -Path.") { ErrorId = BpfErrorIds.BpfMapAmbiguous }));
            return null!;
        }

        private protected MapCodec CodecOf(KernelMap map)
        {
            if (!_btfById.TryGetValue(map.Info.BtfId, out var btf))
                _btfById[map.Info.BtfId] = btf = BtfLoader.TryFromKernel(map.Info.BtfId);
            return new MapCodec(map.Info, btf);
        }

        private KernelMap? TryOpen(System.Func<KernelMap> open, object target, bool quietIfGone = false)
        {
            try { return open(); }
            catch (BpfException e) when (!(quietIfGone && e.ErrorId == BpfErrorIds.BpfMapNotFound))
            {
                if (e.Kind == BpfErrorKind.PermissionDenied) ThrowTerminatingError(BpfErrors.From(e, target));
                WriteError(BpfErrors.From(e, target));
                return null;
            }
            catch (BpfException) { return null; }
        }

        private static KernelMap OpenTraceMap(BpfTrace trace, string name)
        {
            BpfMap map;
            try { map = trace.Map(name); }
            catch (BpfException) when (trace.IsRunning)
            {
                throw new BpfException(BpfErrorKind.NotFound, $"The trace '{trace.Name}' has no map named '{name}'.",
                    $"Its maps are: {string.Join(", ", trace.MapNames)}.") { ErrorId = BpfErrorIds.BpfMapNotFound };
            }
            return KernelMap.Borrow(map.Fd);
        }

        /// <summary>A BpfTrace, from itself or from an object (a job) with a Trace property holding one; else null.</summary>
        internal static BpfTrace? TraceFrom(object? value)
        {
            var candidate = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (candidate is BpfTrace trace) return trace;
            if (value is not null && PSObject.AsPSObject(value).Properties["Trace"]?.Value is { } inner
                && (inner is PSObject p ? p.BaseObject : inner) is BpfTrace fromJob) return fromJob;
            return null;
        }

        private BpfTrace TraceOf(object? value)
        {
            if (TraceFrom(value) is { } trace) return trace;
            ThrowTerminatingError(BpfErrors.InvalidParameter(BpfErrorIds.BpfTraceExpected,
                $"-Trace takes a running trace, and '{value}' is not one.",
                "Pass what Start-BpfTrace -AsJob returned (a job whose Trace property is the trace), or that Trace property.", value));
            return null!;
        }
    }
}
