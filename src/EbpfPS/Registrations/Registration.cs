using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EbpfPS.Core;
using EbpfPS.Core.Objects;
using EbpfPS.Interop;
using EbpfPS.Introspection;
using EbpfPS.Probes.UserObjects;
using EbpfPS.Xdp;

namespace EbpfPS.Registrations
{
    /// <summary>A user's object loaded, attached and pinned so that it outlives the process (what bpftool prog
    /// loadall with pinned links does), and taken down again: detached and unpinned, after which the kernel frees
    /// what no process holds. Callers hold <see cref="RegistrationPins.Lock"/>.</summary>
    internal static class Registration
    {
        private const int ENOLINK = 67;

        internal static BpfException NotFound(string name) =>
            new(BpfErrorKind.NotFound, $"There is no registration named '{name}'.",
                "Get-BpfRegistration lists the registrations; Register-BpfProgram makes one.") { ErrorId = BpfErrorIds.BpfRegistrationNotFound };

        /// <summary>Loads the object, pins its maps and programs, attaches each program to its target and pins the
        /// link, or records an attachment that is no link. On failure nothing stays: the pins and records are deleted
        /// and the object's disposal detaches its links and attachments.</summary>
        internal static void Create(string name, string path, IReadOnlyDictionary<string, object?> globals, AttachTargets targets, Action<string> warn)
        {
            RegistrationPins.DemandValidName(name);
            if (RegistrationPins.Exists(name))
                throw new BpfException(BpfErrorKind.AlreadyExists, $"A registration named '{name}' exists already.",
                    $"Unregister it first (Unregister-BpfProgram -Name {name}), or give another -Name.") { ErrorId = BpfErrorIds.BpfRegistrationExists };
            BpfFs.Demand(warn);
            using var obj = UserObjectFile.Open(path, globals, targets, warn);
            foreach (var unused in ProgramTargets.Unused(obj, targets)) warn(unused);
            obj.Load();
            string directory = RegistrationPins.Create(name);
            try
            {
                // Every map, a program array too: the kernel empties a program array once no fd or pin refers to it,
                // and the tail calls of the attached programs would then fail, silently.
                foreach (var map in obj.Maps())
                    XdpPins.Pin(map.Fd, RegistrationPins.PinOf(directory, RegistrationPins.Maps, map.Name));
                foreach (var program in obj.Programs().Where(p => p.Fd >= 0))
                    XdpPins.Pin(program.Fd, RegistrationPins.PinOf(directory, RegistrationPins.Programs, program.Name));
                ProgramTargets.AttachAll(obj, targets);
                // A program with several links (a perf_event program's, one a CPU) pins them as NAME_0, NAME_1...
                foreach (var links in obj.Links.GroupBy(l => l.ProgramName))
                    foreach (var (link, i) in links.Select((link, i) => (link, i)))
                    {
                        string pinName = links.Count() == 1 ? link.ProgramName : $"{link.ProgramName}_{i}";
                        if (link.Attachment is { } attachment)
                            File.CreateSymbolicLink(RegistrationPins.PinOf(directory, RegistrationPins.Attachments, pinName), attachment.Text);
                        else
                            XdpPins.Pin(link.Fd, RegistrationPins.PinOf(directory, RegistrationPins.Links, pinName));
                    }
                // Only once all are kept: until then a failure detaches every one (a tc filter outlives its object).
                foreach (var link in obj.Links) link.Disconnect();
            }
            catch
            {
                RegistrationPins.Delete(name);
                throw;
            }
        }

        /// <summary>Undoes every recorded attachment, detaches every pinned link (even one another process holds open,
        /// except a perf event link, which goes with its last reference) and deletes every pin.</summary>
        internal static void Remove(string name)
        {
            if (!RegistrationPins.Exists(name)) throw NotFound(name);
            // Every record read and checked before anything is undone: a failure leaves the registration whole.
            var attachments = Attachments(name).ToList();
            foreach (var attachment in attachments) DemandUndoableHere(name, attachment);
            foreach (var attachment in attachments) Undo(name, attachment);
            foreach (var pin in RegistrationPins.Pins(name, RegistrationPins.Links))
            {
                var (link, _) = KernelObjectIds.OpenPinned(pin);
                using (link)
                {
                    int rc = Libbpf.bpf_link_detach(link.Fd);
                    int errno = Errno.FromResult(rc);
                    // A link whose cgroup or interface is gone is detached already. A perf event link (a tracepoint's, a
                    // perf_event program's) has no detach: deleting its pin, below, lets the kernel release and detach it.
                    if (rc != 0 && errno != ENOLINK && errno != Errno.EINVAL && errno != Errno.ENOENT && errno != Errno.EOPNOTSUPP)
                        throw ErrnoFailures.Exception(errno, BpfErrorKind.AttachFailed, $"Detaching the link pinned at {pin} failed");
                }
            }
            RegistrationPins.Delete(name);
        }

        /// <summary>The registration as its pins say now.</summary>
        internal static BpfRegistration Describe(string name)
        {
            if (!RegistrationPins.Exists(name)) throw NotFound(name);
            var programs = RegistrationPins.Pins(name, RegistrationPins.Programs);
            var maps = RegistrationPins.Pins(name, RegistrationPins.Maps);
            var links = new List<BpfLinkInfo>();
            var reader = new LinkInfoReader();
            foreach (var pin in RegistrationPins.Pins(name, RegistrationPins.Links))
            {
                var (fd, _) = KernelObjectIds.OpenPinned(pin);
                using (fd) links.Add(reader.Read(fd.Fd));
            }
            return new BpfRegistration
            {
                Name = name,
                Programs = programs.Select(Path.GetFileName).OfType<string>().ToArray(),
                Attachments = RegistrationPins.Pins(name, RegistrationPins.Links)
                    .Zip(links, (pin, link) => $"{Path.GetFileName(pin)} -> {link.AttachType} {link.Target}".TrimEnd())
                    .Concat(RegistrationPins.Pins(name, RegistrationPins.Attachments).Select(Described)).ToArray(),
                Maps = maps.Select(Path.GetFileName).OfType<string>().ToArray(),
                ProgramIds = programs.Select(IdOf).ToArray(),
                LinkIds = links.Select(l => l.Id).ToArray(),
                MapIds = maps.Select(IdOf).ToArray(),
                PinPath = RegistrationPins.Directory(name),
            };
        }

        /// <summary>A tc filter is undone by its interface's index, which means another interface in another network
        /// namespace (a registration made under `ip netns exec`).</summary>
        private static void DemandUndoableHere(string name, NonLinkAttachment attachment)
        {
            if (attachment is not TcFilterAttachment { NetworkNamespace: not 0 } filter) return;
            ulong here = Interfaces.NetworkNamespace();
            if (here == 0 || here == filter.NetworkNamespace) return;
            throw new BpfException(BpfErrorKind.InvalidArgument,
                $"'{filter.Program}' of the registration '{name}' is a tc filter on {filter.Interface} of another network namespace (net:[{filter.NetworkNamespace}]) than this process's (net:[{here}]).",
                $"Unregister it in that namespace: ip netns exec NAMESPACE pwsh -Command 'Unregister-BpfProgram -Name {name}' (`ip netns identify PID` names a process's namespace).")
            { ErrorId = BpfErrorIds.BpfRegistrationNamespaceMismatch };
        }

        /// <summary>Undoes an attachment that is no link with the registration's pinned program (and socket map).</summary>
        private static void Undo(string name, NonLinkAttachment attachment)
        {
            string directory = RegistrationPins.Directory(name);
            using var program = KernelObjectIds.OpenPinned(RegistrationPins.PinOf(directory, RegistrationPins.Programs, attachment.Program)).Fd;
            using var map = attachment.MapName is { } mapName
                ? KernelObjectIds.OpenPinned(RegistrationPins.PinOf(directory, RegistrationPins.Maps, mapName)).Fd
                : null;
            int errno = attachment.Detach(program.Fd, map?.Fd ?? -1);
            if (errno != 0)
                throw ErrnoFailures.Exception(errno, BpfErrorKind.AttachFailed, $"Detaching '{attachment.Program}' from {attachment.Target} failed");
        }

        /// <summary>The registration's attachments that are no links, read back from their records.</summary>
        private static IEnumerable<NonLinkAttachment> Attachments(string name) =>
            RegistrationPins.Pins(name, RegistrationPins.Attachments).Select(Read);

        private static NonLinkAttachment Read(string record) =>
            NonLinkAttachment.Parse(Path.GetFileName(record), new FileInfo(record).LinkTarget ?? "", record);

        /// <summary>Where a registered program is attached without a link, from its registration's records (a link's own
        /// target is in the kernel's link info); none for a program pinned by no registration.</summary>
        internal static IEnumerable<string> NonLinkTargets(IEnumerable<string> programPins)
        {
            foreach (string pin in programPins)
            {
                if (RegistrationPins.NameOf(new[] { pin }) is not { } name || Path.GetFileName(Path.GetDirectoryName(pin)) != RegistrationPins.Programs) continue;
                string record = RegistrationPins.PinOf(RegistrationPins.Directory(name), RegistrationPins.Attachments, Path.GetFileName(pin));
                if (new FileInfo(record).LinkTarget is not null) yield return TargetOf(record);
            }
        }

        /// <summary>"PROGRAM -> TARGET" of an attachment record.</summary>
        private static string Described(string record) => $"{Path.GetFileName(record)} -> {TargetOf(record)}";

        /// <summary>Where a record says its program is attached; a record that cannot be read is shown as it is
        /// (Unregister-BpfProgram says why).</summary>
        private static string TargetOf(string record)
        {
            try { return Read(record).Target; }
            catch (BpfException e) when (e.ErrorId == BpfErrorIds.BpfRegistrationRecordInvalid)
            {
                return $"unreadable record '{new FileInfo(record).LinkTarget}'";
            }
        }

        private static uint IdOf(string pin)
        {
            var (fd, _) = KernelObjectIds.OpenPinned(pin);
            using (fd) return ObjectInfo.IdOf(fd.Fd);
        }
    }
}
