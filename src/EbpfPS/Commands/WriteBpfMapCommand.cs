using System;
using System.Linq;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Introspection.Maps;

namespace EbpfPS.Commands
{
    /// <summary>Inserts or updates entries of one map: -Key and -Value, or piped objects with Key and Value
    /// properties (such as Read-BpfMap's output), encoded through the map's BTF.</summary>
    [Cmdlet(VerbsCommunications.Write, "BpfMap", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class WriteBpfMapCommand : BpfMapCommand, IDisposable
    {
        /// <summary>The key: a number, string, hashtable of struct fields, prefix ("10.0.0.0/8"), bytes...</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public object? Key { get; set; }

        /// <summary>The value; for a per-CPU map it is written to every CPU.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public object? Value { get; set; }

        /// <summary>For a per-CPU map, one value per possible CPU.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("PerCpuValues")]
        public object[]? PerCpuValue { get; set; }

        /// <summary>Only adds new keys: an existing key is an error, not overwritten.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        private KernelMap? _map;
        private MapCodec? _codec;

        protected override void BeginProcessing()
        {
            _map = SelectedMap();
            // a ring buffer's key and value have no size: say what it is rather than that nothing fits in 0 bytes
            try { _map.DemandWritable(); }
            catch (BpfException e) { ThrowTerminatingError(BpfErrors.From(e, _map.Info)); }
            _codec = CodecOf(_map);
        }

        protected override void ProcessRecord()
        {
            try
            {
                var key = _codec!.EncodeKey(PSValues.FromPowerShell(Key));
                var values = PerCpuValue is { Length: > 0 }
                    ? PerCpuValue.Select(v => _codec.EncodeValue(PSValues.FromPowerShell(v))).ToList()
                    : new() { _codec.EncodeValue(PSValues.FromPowerShell(Value)) };
                var buffer = _map!.ValueBuffer(values);
                if (!ShouldProcess(_map.Description, $"Write the entry with key {MapCodec.Text(PSValues.FromPowerShell(Key))}")) return;
                _map.Update(key, buffer, NoClobber ? MapWriteMode.CreateOnly : MapWriteMode.Any);
            }
            catch (BpfException e)
            {
                if (e.Kind is BpfErrorKind.MapReadOnly or BpfErrorKind.PermissionDenied) ThrowTerminatingError(BpfErrors.From(e, _map!.Info));
                WriteError(BpfErrors.From(e, Key));
            }
        }

        protected override void EndProcessing() => Dispose();

        public void Dispose()
        {
            _map?.Dispose();
            _map = null;
        }
    }
}
