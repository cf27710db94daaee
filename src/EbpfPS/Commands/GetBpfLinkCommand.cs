using System.Linq;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Introspection;

namespace EbpfPS.Commands
{
    /// <summary>Lists the links in the kernel (programs attached to hooks), by anyone, as BpfLinkInfo objects.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfLink", DefaultParameterSetName = All)]
    [OutputType(typeof(BpfLinkInfo))]
    public sealed class GetBpfLinkCommand : PSCmdlet
    {
        private const string ById = "Id", All = "All", ByPath = "Path";

        /// <summary>Only links with these ids.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ById)]
        [ValidateNotNullOrEmpty]
        public uint[]? Id { get; set; }

        /// <summary>The links pinned at these paths.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByPath)]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>Only links of these types (tracing, perf_event, xdp, cgroup...; wildcards allowed).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? Type { get; set; }

        /// <summary>Only links of these programs, e.g. (Get-BpfProgram -Name my_prog).Id.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public uint[]? ProgramId { get; set; }

        protected override void ProcessRecord()
        {
            var types = new NameFilter(Type);
            var pins = PinnedObjects.Scan();
            var listing = new ObjectListing<BpfLinkInfo>(this, BpfErrorIds.LinkNotFound, "link", l => l.Id, _ => "",
                l => types.Matches(l.Type) && (ProgramId is null || ProgramId.Contains(l.ProgramId)));
            var reader = new LinkInfoReader();
            switch (ParameterSetName)
            {
                case ById:
                    listing.WriteById(Id!, id => LoadedObjects.Link(id, pins, reader), "Get-BpfLink without -Id lists every link.");
                    break;
                case ByPath:
                    foreach (var path in Path!)
                        listing.WriteByPath(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path), path, fd => reader.Read(fd, pins), BpfObjectKind.Link);
                    break;
                default:
                    listing.WriteByName(null, () => LoadedObjects.Links(pins));
                    break;
            }
        }
    }
}
