using System;
using System.Runtime.InteropServices;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Xdp
{
    /// <summary>Attaching the filter program to an interface through a bpf_link (which, pinned, keeps it
    /// attached without any process), in native mode or generic mode; and finding and removing an XDP
    /// program that someone else attached.</summary>
    internal static unsafe class XdpAttachment
    {
        private const uint LinkTypeXdp = 6;
        private const byte AttachedNone = 0, AttachedDriver = 1, AttachedSkb = 2;

        internal readonly record struct Attached(uint ProgramId, string ProgramName, string Mode);

        /// <summary>The XDP program on the interface now, whoever attached it, or null.</summary>
        internal static Attached? Current(int ifindex)
        {
            var options = new BpfXdpQueryOptions { Size = (nuint)sizeof(BpfXdpQueryOptions) };
            int rc = Libbpf.bpf_xdp_query(ifindex, 0, &options);
            if (rc != 0) throw Errno.Exception(Errno.FromResult(rc), BpfErrorKind.ReadFailed, $"Asking for the XDP program of interface {ifindex} failed");
            if (options.AttachMode == AttachedNone) return null;
            uint id = options.ProgramId != 0 ? options.ProgramId : options.DriverProgramId | options.SkbProgramId | options.HardwareProgramId;
            string mode = options.AttachMode switch { AttachedDriver => "native", AttachedSkb => "generic", 3 => "offloaded", _ => "several" };
            return new Attached(id, ProgramName(id), mode);
        }

        private static string ProgramName(uint id)
        {
            int fd = Libbpf.bpf_prog_get_fd_by_id(id);
            if (fd < 0) return "?";
            using var program = BpfFd.Own(fd);
            var info = program.Info<BpfProgramInfo>();
            return CStrings.Read(info.Name, 16);
        }

        internal static BpfFd Attach(BpfFd program, string interfaceName, int ifindex, XdpMode? requested, Action<string> warn, out XdpMode mode)
        {
            if (requested != XdpMode.Generic)
            {
                int fd = Link(program, ifindex, XdpFlags.DriverMode);
                if (fd >= 0)
                {
                    mode = XdpMode.Native;
                    return BpfFd.Own(fd);
                }
                int errno = Errno.FromResult(fd);
                if (errno is Errno.EPERM or Errno.EACCES or Errno.EBUSY or Errno.EEXIST) throw AttachFailed(errno, interfaceName);
                string hint = XdpNativeModeHint.For(interfaceName, Interfaces.Driver(interfaceName));
                if (requested == XdpMode.Native)
                    throw new BpfException(BpfErrorKind.NotSupported,
                        $"{interfaceName} refused native XDP: {Errno.Describe(errno)}.", hint + " Or leave -Mode out to fall back to generic mode.")
                    { ErrorId = "XdpNativeModeNotSupported", Errno = errno };
                warn($"{interfaceName} refused native XDP ({Errno.Describe(errno)}), so the filter runs in generic mode. {hint}");
            }
            int generic = Link(program, ifindex, XdpFlags.SkbMode);
            if (generic < 0) throw AttachFailed(Errno.FromResult(generic), interfaceName);
            mode = XdpMode.Generic;
            return BpfFd.Own(generic);
        }

        private static int Link(BpfFd program, int ifindex, uint flags)
        {
            var options = new BpfLinkCreateOptions { Size = (nuint)sizeof(BpfLinkCreateOptions), Flags = flags };
            return Libbpf.bpf_link_create(program.Value, ifindex, Libbpf.BPF_XDP, &options);
        }

        private static BpfException AttachFailed(int errno, string interfaceName) =>
            Errno.Exception(errno, BpfErrorKind.AttachFailed, $"Attaching the XDP filter to {interfaceName} failed",
                errno is Errno.EBUSY or Errno.EEXIST ? "Another XDP program got attached meanwhile: Get-BpfXdpFilter, `bpftool net show` show it." : null);

        /// <summary>Removes a program someone else attached: through netlink when it was attached that way
        /// (ip link, xdp-loader), else by detaching its bpf_link.</summary>
        internal static void DetachForeign(int ifindex, Attached foreign)
        {
            uint flags = foreign.Mode == "generic" ? XdpFlags.SkbMode : foreign.Mode == "native" ? XdpFlags.DriverMode : 0;
            if (Libbpf.bpf_xdp_detach(ifindex, flags, 0) == 0 && Current(ifindex) is null) return;
            uint id = 0;
            while (Libbpf.bpf_link_get_next_id(id, &id) == 0)
            {
                int fd = Libbpf.bpf_link_get_fd_by_id(id);
                if (fd < 0) continue;
                using var link = BpfFd.Own(fd);
                var info = link.Info<BpfLinkInfo>();
                // ifindex alone could name an interface of another network namespace; the program id cannot.
                if (info.Type != LinkTypeXdp || info.XdpIfindex != ifindex || info.ProgramId != foreign.ProgramId) continue;
                int rc = Libbpf.bpf_link_detach(link.Value);
                if (rc != 0) throw Errno.Exception(Errno.FromResult(rc), BpfErrorKind.AttachFailed, $"Detaching the XDP link {id} failed");
                return;
            }
            throw new BpfException(BpfErrorKind.AttachFailed, $"The XDP program {foreign.ProgramId} ('{foreign.ProgramName}') could not be detached.",
                "Detach it with the tool that attached it, or: ip link set dev IFNAME xdp off; bpftool net show lists XDP programs.");
        }
    }
}
