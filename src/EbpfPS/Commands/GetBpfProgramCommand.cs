using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Introspection;

namespace EbpfPS.Commands
{
    /// <summary>Lists the programs loaded in the kernel, by anyone, as BpfProgramInfo objects.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfProgram", DefaultParameterSetName = ByName)]
    [OutputType(typeof(BpfProgramInfo))]
    public sealed class GetBpfProgramCommand : PSCmdlet
    {
        private const string ById = "Id", ByName = "Name", ByPath = "Path";

        /// <summary>Only programs with these ids.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ById)]
        [ValidateNotNullOrEmpty]
        public uint[]? Id { get; set; }

        /// <summary>Only programs with these names (wildcards allowed).</summary>
        [Parameter(Position = 0, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        /// <summary>The programs pinned at these paths.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByPath)]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>Only programs of these types (kprobe, tracepoint, tracing, xdp...; wildcards allowed).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? Type { get; set; }

        protected override void ProcessRecord()
        {
            var types = new NameFilter(Type);
            var pins = PinnedObjects.Scan();
            var listing = new ObjectListing<BpfProgramInfo>(this, BpfErrorIds.ProgramNotFound, "program", p => p.Id, p => p.Name, p => types.Matches(p.Type));
            switch (ParameterSetName)
            {
                case ById:
                    listing.WriteById(Id!, id => LoadedObjects.Program(id, pins), "Get-BpfProgram without -Id lists every program.");
                    break;
                case ByPath:
                    foreach (var path in Path!)
                        listing.WriteByPath(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path), path, fd => ProgramInfoReader.Read(fd, pins), BpfObjectKind.Program);
                    break;
                default:
                    listing.WriteByName(Name, () => LoadedObjects.Programs(pins));
                    break;
            }
        }
    }
}
