using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Introspection.Maps;

namespace EbpfPS.Commands
{
    /// <summary>Removes entries of a map: one by -Key, every one with -All, or the BpfMapEntry objects piped
    /// from Read-BpfMap.</summary>
    [Cmdlet(VerbsCommon.Remove, "BpfMapEntry", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveBpfMapEntryCommand : BpfMapCommand, IDisposable
    {
        private const string ByInputObject = "InputObject";

        /// <summary>The key of the entry to remove, in any form Write-BpfMap takes.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByPath)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByTrace)]
        public object? Key { get; set; }

        /// <summary>Removes every entry of the map.</summary>
        [Parameter(ParameterSetName = ById)]
        [Parameter(ParameterSetName = ByName)]
        [Parameter(ParameterSetName = ByPath)]
        [Parameter(ParameterSetName = ByTrace)]
        public SwitchParameter All { get; set; }

        /// <summary>Entries from Read-BpfMap: each is removed from the map it was read from.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObject)]
        [ValidateNotNull]
        public BpfMapEntry[]? InputObject { get; set; }

        private readonly Dictionary<uint, KernelMap> _maps = new();
        private KernelMap? _selected;
        private MapCodec? _codec;

        protected override void BeginProcessing()
        {
            if (ParameterSetName == ByInputObject) return;
            bool hasKey = MyInvocation.BoundParameters.ContainsKey(nameof(Key));
            if (hasKey == All.IsPresent && !MyInvocation.ExpectingInput)
                ThrowTerminatingError(BpfErrors.InvalidParameter(BpfErrorIds.BpfKeyOrAllExpected,
                    All ? "-Key and -All cannot be used together." : "Say which entries to remove: -Key, or -All for every entry.",
                    "Give -Key with the key of one entry, or -All.", null));
            _selected = SelectedMap();
            // a ring buffer's key has no size: say what it is rather than that nothing fits in 0 bytes
            try { _selected.DemandWritable(removing: true); }
            catch (BpfException e) { ThrowTerminatingError(BpfErrors.From(e, _selected.Info)); }
            _codec = CodecOf(_selected);
        }

        protected override void ProcessRecord()
        {
            try
            {
                if (ParameterSetName == ByInputObject)
                    foreach (var entry in InputObject!) Remove(MapOf(entry.MapId), entry.KeyBytes, entry.Key);
                else if (All)
                    RemoveAll(_selected!);
                else
                {
                    var key = PSValues.FromPowerShell(Key);
                    Remove(_selected!, _codec!.EncodeKey(key), key);
                }
            }
            catch (BpfException e)
            {
                if (e.Kind is BpfErrorKind.MapReadOnly or BpfErrorKind.PermissionDenied) ThrowTerminatingError(BpfErrors.From(e));
                WriteError(BpfErrors.From(e, Key));
            }
        }

        private void Remove(KernelMap map, byte[] key, object? shown)
        {
            map.DemandWritable(removing: true);
            if (!ShouldProcess(map.Description, $"Remove the entry with key {MapCodec.Text(shown)}")) return;
            if (!map.Delete(key))
                WriteError(BpfErrors.From(new BpfException(BpfErrorKind.NotFound,
                    $"{map.Description} has no entry with the key '{MapCodec.Text(shown)}'.", "Read-BpfMap shows the entries it has.") { ErrorId = BpfErrorIds.BpfMapKeyNotFound }, shown));
        }

        private void RemoveAll(KernelMap map)
        {
            map.DemandWritable(removing: true);
            var keys = MapEntries.Keys(map).ToList(); // all first: removing while walking would restart the walk
            if (!ShouldProcess(map.Description, $"Remove all {keys.Count} entries")) return;
            foreach (var key in keys) map.Delete(key);
        }

        private KernelMap MapOf(uint id)
        {
            if (!_maps.TryGetValue(id, out var map)) _maps[id] = map = KernelMap.Open(id);
            return map;
        }

        protected override void EndProcessing() => Dispose();

        public void Dispose()
        {
            foreach (var map in _maps.Values) map.Dispose();
            _maps.Clear();
            _selected?.Dispose();
            _selected = null;
        }
    }
}
