using System;
using System.Collections.Generic;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Introspection;

namespace EbpfPS.Commands
{
    /// <summary>What Get-BpfProgram, Get-BpfMap and Get-BpfLink share: listing every object of their kind
    /// system-wide, or by -Id or pinned -Path, filtered by -Type (and name); an id, path or literal name that
    /// matches nothing is an error for that item, lacking the right to list stops the command.</summary>
    public abstract class GetBpfObjectCommand<T> : PSCmdlet where T : class
    {
        private protected const string ById = "Id", ByPath = "Path";

        /// <summary>Only the objects with these ids.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ById)]
        [ValidateNotNullOrEmpty]
        public uint[]? Id { get; set; }

        /// <summary>The objects pinned at these paths on a bpffs.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByPath)]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>Only objects of these types, as bpftool names them (wildcards allowed).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(BpfTypeCompleter))]
        public string[]? Type { get; set; }

        private protected abstract BpfObjectKind Kind { get; }
        private protected abstract string NotFoundId { get; }
        private protected abstract T? ReadById(uint id, PinnedObjects pins);
        private protected abstract T Read(int fd, PinnedObjects pins);
        private protected abstract IEnumerable<T> All(PinnedObjects pins);
        private protected abstract string TypeOf(T item);

        /// <summary>The -Name filter of kinds that have names; null lists all.</summary>
        private protected virtual string[]? Names => null;
        private protected virtual string NameOf(T item) => "";

        /// <summary>A further filter of the kind (Get-BpfLink -ProgramId).</summary>
        private protected virtual bool Matches(T item) => true;

        private string Noun => Kind.ToString().ToLowerInvariant();

        protected override void ProcessRecord()
        {
            var types = new NameFilter(Type);
            bool Wanted(T item) => types.Matches(TypeOf(item)) && Matches(item);
            var pins = PinnedObjects.Scan();
            switch (ParameterSetName)
            {
                case ById:
                    foreach (var id in Id!)
                        Guard(id, () =>
                        {
                            var item = ReadById(id, pins) ?? throw new BpfException(BpfErrorKind.NotFound, $"There is no BPF {Noun} with id {id}.",
                                $"{MyInvocation.MyCommand.Name} without -Id lists every {Noun}.") { ErrorId = NotFoundId };
                            if (Wanted(item)) WriteObject(item);
                        });
                    break;
                case ByPath:
                    foreach (var path in Path!)
                        Guard(path, () =>
                        {
                            var (fd, kind) = KernelObjectIds.OpenPinned(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
                            using (fd)
                            {
                                if (kind != Kind)
                                    throw new BpfException(BpfErrorKind.InvalidArgument, $"'{path}' is a pinned {kind.ToString().ToLowerInvariant()}, not a {Noun}.");
                                var item = Read(fd.Fd, pins);
                                if (Wanted(item)) WriteObject(item);
                            }
                        });
                    break;
                default:
                    var names = new NameFilter(Names);
                    Guard(null, () =>
                    {
                        foreach (var item in All(pins))
                            if (names.Matches(NameOf(item)) && Wanted(item)) WriteObject(item);
                    });
                    foreach (var name in names.Unmatched())
                        WriteError(BpfErrors.From(new BpfException(BpfErrorKind.NotFound, $"There is no BPF {Noun} named '{name}'.",
                            $"Names of {Noun}s are cut to 15 characters; wildcards such as '{name}*' find the ones that start with it.") { ErrorId = NotFoundId }, name));
                    break;
            }
        }

        private void Guard(object? target, Action action)
        {
            try { action(); }
            catch (BpfException e)
            {
                if (e.Kind == BpfErrorKind.PermissionDenied) ThrowTerminatingError(BpfErrors.From(e, target));
                WriteError(BpfErrors.From(e, target));
            }
        }
    }
}
