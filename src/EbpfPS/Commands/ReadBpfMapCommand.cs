using System.Collections.Generic;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Introspection.Maps;

namespace EbpfPS.Commands
{
    /// <summary>Reads the entries of maps, decoded through their BTF, as BpfMapEntry objects; streams large
    /// maps (batch lookups where the kernel has them).</summary>
    [Cmdlet(VerbsCommunications.Read, "BpfMap", DefaultParameterSetName = ByName)]
    [OutputType(typeof(BpfMapEntry))]
    public sealed class ReadBpfMapCommand : BpfMapCommand
    {
        private const string ByInputObject = "InputObject";

        /// <summary>Maps from Get-BpfMap.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObject)]
        [ValidateNotNull]
        public BpfMapInfo[]? InputObject { get; set; }

        /// <summary>Reads only the entry with this key.</summary>
        [Parameter]
        public object? Key { get; set; }

        private bool _stopping;

        protected override void ProcessRecord()
        {
            foreach (var map in ParameterSetName == ByInputObject ? FromInput() : SelectedMaps())
                using (map)
                {
                    try
                    {
                        if (MyInvocation.BoundParameters.ContainsKey(nameof(Key))) ReadOne(map);
                        else ReadAll(map);
                    }
                    catch (BpfException e)
                    {
                        WriteError(BpfErrors.From(e, map.Info));
                    }
                    if (_stopping) return;
                }
        }

        private IEnumerable<KernelMap> FromInput()
        {
            foreach (var info in InputObject!)
            {
                KernelMap? map = null;
                try { map = KernelMap.Open(info.Id); }
                catch (BpfException e) { WriteError(BpfErrors.From(e, info)); }
                if (map is not null) yield return map;
            }
        }

        private void ReadAll(KernelMap map)
        {
            var codec = CodecOf(map);
            foreach (var entry in MapEntries.Read(map))
            {
                if (_stopping) return;
                WriteObject(MapEntryDecoding.Decode(map, codec, entry));
            }
        }

        private void ReadOne(KernelMap map)
        {
            var codec = CodecOf(map);
            var key = codec.EncodeKey(PSValues.FromPowerShell(Key));
            var value = new byte[map.ValueBufferSize];
            if (!map.TryLookup(key, value))
                throw new BpfException(BpfErrorKind.NotFound, $"{map.Description} has no entry with the key '{Key}'.",
                    "Read the map without -Key to see its entries.") { ErrorId = BpfErrorIds.BpfMapKeyNotFound };
            WriteObject(MapEntryDecoding.Decode(map, codec, new RawMapEntry(key, value)));
        }

        protected override void StopProcessing() => _stopping = true;
    }
}
