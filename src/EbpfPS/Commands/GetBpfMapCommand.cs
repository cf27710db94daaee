using System.Collections.Generic;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Introspection;

namespace EbpfPS.Commands
{
    /// <summary>Lists the maps loaded in the kernel, by anyone, as BpfMapInfo objects.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfMap", DefaultParameterSetName = ByName)]
    [OutputType(typeof(BpfMapInfo))]
    public sealed class GetBpfMapCommand : GetBpfObjectCommand<BpfMapInfo>
    {
        private const string ByName = "Name";

        /// <summary>Only maps with these names (wildcards allowed).</summary>
        [Parameter(Position = 0, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(MapNameCompleter))]
        public string[]? Name { get; set; }

        private protected override BpfObjectKind Kind => BpfObjectKind.Map;
        private protected override string NotFoundId => BpfErrorIds.BpfMapNotFound;
        private protected override string[]? Names => Name;
        private protected override BpfMapInfo? ReadById(uint id, PinnedObjects pins) => LoadedObjects.Map(id, pins);
        private protected override BpfMapInfo Read(int fd, PinnedObjects pins) => MapInfoReader.Read(fd, pins);
        private protected override IEnumerable<BpfMapInfo> All(PinnedObjects pins) => LoadedObjects.Maps(pins);
        private protected override string TypeOf(BpfMapInfo map) => map.Type;
        private protected override string NameOf(BpfMapInfo map) => map.Name;
    }
}
