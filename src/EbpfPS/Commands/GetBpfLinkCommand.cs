using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Introspection;

namespace EbpfPS.Commands
{
    /// <summary>Lists the links in the kernel (programs attached to hooks), by anyone, as BpfLinkInfo objects.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfLink", DefaultParameterSetName = "All")]
    [OutputType(typeof(BpfLinkInfo))]
    public sealed class GetBpfLinkCommand : GetBpfObjectCommand<BpfLinkInfo>
    {
        private readonly LinkInfoReader _reader = new();

        /// <summary>Only links of these programs, e.g. (Get-BpfProgram -Name my_prog).Id.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public uint[]? ProgramId { get; set; }

        private protected override BpfObjectKind Kind => BpfObjectKind.Link;
        private protected override string NotFoundId => BpfErrorIds.BpfLinkNotFound;
        private protected override BpfLinkInfo? ReadById(uint id, PinnedObjects pins) => LoadedObjects.Link(id, pins, _reader);
        private protected override BpfLinkInfo Read(int fd, PinnedObjects pins) => _reader.Read(fd, pins);
        private protected override IEnumerable<BpfLinkInfo> All(PinnedObjects pins) => LoadedObjects.Links(pins);
        private protected override string TypeOf(BpfLinkInfo link) => link.Type;
        private protected override bool Matches(BpfLinkInfo link) => ProgramId is null || ProgramId.Contains(link.ProgramId);
    }
}
