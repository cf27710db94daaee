using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Introspection;

namespace EbpfPS.Commands
{
    /// <summary>Lists the maps loaded in the kernel, by anyone, as BpfMapInfo objects.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfMap", DefaultParameterSetName = ByName)]
    [OutputType(typeof(BpfMapInfo))]
    public sealed class GetBpfMapCommand : PSCmdlet
    {
        private const string ById = "Id", ByName = "Name", ByPath = "Path";

        /// <summary>Only maps with these ids.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ById)]
        [ValidateNotNullOrEmpty]
        public uint[]? Id { get; set; }

        /// <summary>Only maps with these names (wildcards allowed).</summary>
        [Parameter(Position = 0, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        /// <summary>The maps pinned at these paths.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByPath)]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>Only maps of these types (hash, array, percpu_hash, lpm_trie, ringbuf...; wildcards allowed).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? Type { get; set; }

        protected override void ProcessRecord()
        {
            var types = new NameFilter(Type);
            var pins = PinnedObjects.Scan();
            var listing = new ObjectListing<BpfMapInfo>(this, BpfErrorIds.MapNotFound, "map", m => m.Id, m => m.Name, m => types.Matches(m.Type));
            switch (ParameterSetName)
            {
                case ById:
                    listing.WriteById(Id!, id => LoadedObjects.Map(id, pins), "Get-BpfMap without -Id lists every map.");
                    break;
                case ByPath:
                    foreach (var path in Path!)
                        listing.WriteByPath(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path), path, fd => MapInfoReader.Read(fd, pins), BpfObjectKind.Map);
                    break;
                default:
                    listing.WriteByName(Name, () => LoadedObjects.Maps(pins));
                    break;
            }
        }
    }
}
