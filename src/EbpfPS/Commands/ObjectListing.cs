using System;
using System.Collections.Generic;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Introspection;

namespace EbpfPS.Commands
{
    /// <summary>How Get-BpfProgram, Get-BpfMap and Get-BpfLink write what they list: by id, by pinned path or by
    /// name, filtered, with an error for each id, path or literal name that matches nothing.</summary>
    internal sealed class ObjectListing<T>
    {
        private readonly PSCmdlet _cmdlet;
        private readonly string _notFound;
        private readonly string _noun;
        private readonly Func<T, uint> _id;
        private readonly Func<T, string> _name;
        private readonly Func<T, bool> _filter;

        internal ObjectListing(PSCmdlet cmdlet, string notFoundId, string noun, Func<T, uint> id, Func<T, string> name, Func<T, bool> filter)
        {
            _cmdlet = cmdlet;
            _notFound = notFoundId;
            _noun = noun;
            _id = id;
            _name = name;
            _filter = filter;
        }

        internal void WriteById(IEnumerable<uint> ids, Func<uint, T?> read, string hint)
        {
            foreach (var id in ids)
                Guard(id, () =>
                {
                    var item = read(id);
                    if (item is null) throw new BpfException(BpfErrorKind.NotFound, $"There is no BPF {_noun} with id {id}.", hint) { ErrorId = _notFound };
                    if (_filter(item)) _cmdlet.WriteObject(item);
                });
        }

        internal void WriteByPath(string path, string shown, Func<int, T> read, BpfObjectKind kind)
        {
            Guard(shown, () =>
            {
                var (fd, actual) = KernelObjectIds.OpenPinned(path);
                using (fd)
                {
                    if (actual != kind)
                        throw new BpfException(BpfErrorKind.InvalidArgument, $"'{path}' is a pinned {actual.ToString().ToLowerInvariant()}, not a {_noun}.");
                    var item = read(fd.Fd);
                    if (_filter(item)) _cmdlet.WriteObject(item);
                }
            });
        }

        internal void WriteByName(string[]? names, Func<IEnumerable<T>> all)
        {
            var filter = new NameFilter(names);
            Guard(null, () =>
            {
                foreach (var item in all())
                    if (filter.Matches(_name(item)) && _filter(item)) _cmdlet.WriteObject(item);
            });
            foreach (var name in filter.Unmatched())
                _cmdlet.WriteError(BpfErrors.From(new BpfException(BpfErrorKind.NotFound, $"There is no BPF {_noun} named '{name}'.",
                    $"Names of {_noun}s are cut to 15 characters; wildcards such as '{name}*' find the ones that start with it.") { ErrorId = _notFound }, name));
        }

        /// <summary>Runs one lookup: a missing object is an error for that item; lacking the right to list stops the command.</summary>
        private void Guard(object? target, Action action)
        {
            try { action(); }
            catch (BpfException e) when (e.Kind != BpfErrorKind.PermissionDenied)
            {
                _cmdlet.WriteError(BpfErrors.From(e, target));
            }
            catch (BpfException e)
            {
                _cmdlet.ThrowTerminatingError(BpfErrors.From(e, target));
            }
        }
    }
}
