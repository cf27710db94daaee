using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Introspection;

namespace EbpfPS.Commands
{
    /// <summary>Lists the programs loaded in the kernel, by anyone, as BpfProgramInfo objects.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfProgram", DefaultParameterSetName = ByName)]
    [OutputType(typeof(BpfProgramInfo))]
    public sealed class GetBpfProgramCommand : GetBpfObjectCommand<BpfProgramInfo>
    {
        private const string ByName = "Name";

        /// <summary>Only programs with these names (wildcards allowed).</summary>
        [Parameter(Position = 0, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        private protected override BpfObjectKind Kind => BpfObjectKind.Program;
        private protected override string NotFoundId => BpfErrorIds.BpfProgramNotFound;
        private protected override string[]? Names => Name;
        private Dictionary<uint, string[]>? _attachments;

        private protected override BpfProgramInfo? ReadById(uint id, PinnedObjects pins) => WithAttachments(LoadedObjects.Program(id, pins));
        private protected override BpfProgramInfo Read(int fd, PinnedObjects pins) => WithAttachments(ProgramInfoReader.Read(fd, pins))!;
        private protected override IEnumerable<BpfProgramInfo> All(PinnedObjects pins) => LoadedObjects.Programs(pins).Select(p => WithAttachments(p)!);

        /// <summary>Where the program is attached (the links are listed once per command).</summary>
        private BpfProgramInfo? WithAttachments(BpfProgramInfo? program)
        {
            if (program is null) return null;
            _attachments ??= ProgramAttachments.ByProgram();
            program.AttachedTo = ProgramAttachments.Of(program, _attachments);
            return program;
        }
        private protected override string TypeOf(BpfProgramInfo program) => program.Type;
        private protected override string NameOf(BpfProgramInfo program) => program.Name;
    }
}
