using System;
using EbpfPS.Core;
using EbpfPS.Interop;
using EbpfPS.Introspection;

namespace EbpfPS.Xdp
{
    /// <summary>Attaching the filter program to an interface through a bpf_link (which, pinned, keeps it
    /// attached without any process), in native mode or generic mode; and finding and removing an XDP
    /// program that someone else attached.</summary>
    internal static unsafe class XdpAttachment
    {
        private const byte AttachedNone = 0, AttachedDriver = 1, AttachedSkb = 2, AttachedHardware = 3;

        internal readonly record struct Attached(uint ProgramId, string ProgramName, string Mode);

        /// <summary>The XDP program on the interface now, whoever attached it, or null.</summary>
        internal static Attached? Current(int ifindex)
        {
            var options = new BpfXdpQueryOptions { Size = (nuint)sizeof(BpfXdpQueryOptions) };
            int rc = Libbpf.bpf_xdp_query(ifindex, 0, &options);
            if (rc != 0) throw ErrnoFailures.Exception(Errno.FromResult(rc), BpfErrorKind.ReadFailed, $"Asking for the XDP program of interface {ifindex} failed");
            if (options.AttachMode == AttachedNone) return null;
            uint id = options.ProgramId != 0 ? options.ProgramId : options.DriverProgramId | options.SkbProgramId | options.HardwareProgramId;
            string mode = options.AttachMode switch { AttachedDriver => "native", AttachedSkb => "generic", AttachedHardware => "offloaded", _ => "several" };
            return new Attached(id, ProgramName(id), mode);
        }

        private static string ProgramName(uint id)
        {
            using var program = KernelObjectIds.TryOpen(BpfObjectKind.Program, id);
            if (program is null) return "?";
            var info = new NativeProgramInfo();
            ObjectInfo.Get(program.Fd, ref info, $"program {id}");
            return CStrings.Read(info.Name, 16);
        }

        internal static FileDescriptorHandle Attach(int programFd, string interfaceName, int ifindex, XdpMode? requested, Action<string> warn, out XdpMode mode)
        {
            if (requested != XdpMode.Generic)
            {
                int fd = Link(programFd, ifindex, XdpFlags.DriverMode);
                if (fd >= 0)
                {
                    mode = XdpMode.Native;
                    return new FileDescriptorHandle(fd);
                }
                int errno = Errno.FromResult(fd);
                if (errno is Errno.EPERM or Errno.EACCES or Errno.EBUSY or Errno.EEXIST) throw AttachFailed(errno, interfaceName);
                string hint = XdpNativeModeHint.For(interfaceName, Interfaces.Driver(interfaceName));
                if (requested == XdpMode.Native)
                    throw new BpfException(BpfErrorKind.NotSupported,
                        $"{interfaceName} refused native XDP: {Errno.Describe(errno)}.", hint + " Or leave -Mode out to fall back to generic mode.")
                    { ErrorId = BpfErrorIds.XdpNativeModeNotSupported, Errno = errno };
                warn($"{interfaceName} refused native XDP ({Errno.Describe(errno)}), so the filter runs in generic mode. {hint}");
            }
            int generic = Link(programFd, ifindex, XdpFlags.SkbMode);
            if (generic < 0) throw AttachFailed(Errno.FromResult(generic), interfaceName);
            mode = XdpMode.Generic;
            return new FileDescriptorHandle(generic);
        }

        private static int Link(int programFd, int ifindex, uint flags)
        {
            var options = new BpfLinkCreateOptions { Size = (nuint)sizeof(BpfLinkCreateOptions), Flags = flags };
            return Libbpf.bpf_link_create(programFd, ifindex, Libbpf.BPF_XDP, &options);
        }

        private static BpfException AttachFailed(int errno, string interfaceName) =>
            ErrnoFailures.Exception(errno, BpfErrorKind.AttachFailed, $"Attaching the XDP filter to {interfaceName} failed",
                errno is Errno.EBUSY or Errno.EEXIST ? "Another XDP program got attached meanwhile: Get-BpfXdpFilter, `bpftool net show` show it." : null);

        /// <summary>The interface a link attaches an XDP program to, 0 once that interface is gone.</summary>
        internal static uint LinkedInterface(int linkFd)
        {
            var info = new NativeLinkInfo();
            ObjectInfo.Get(linkFd, ref info, "the XDP filter's link");
            return info.Type == Libbpf.BPF_LINK_TYPE_XDP ? *(uint*)info.Union : 0;
        }

        /// <summary>Removes a program someone else attached: through netlink when it was attached that way
        /// (ip link, xdp-loader), else by detaching its bpf_link.</summary>
        internal static void DetachForeign(int ifindex, Attached foreign)
        {
            uint flags = foreign.Mode == "generic" ? XdpFlags.SkbMode : foreign.Mode == "native" ? XdpFlags.DriverMode : 0;
            if (Libbpf.bpf_xdp_detach(ifindex, flags, 0) == 0 && Current(ifindex) is null) return;
            foreach (uint id in KernelObjectIds.All(BpfObjectKind.Link))
            {
                using var link = KernelObjectIds.TryOpen(BpfObjectKind.Link, id);
                if (link is null) continue;
                var info = new NativeLinkInfo();
                ObjectInfo.Get(link.Fd, ref info, $"link {id}");
                // ifindex alone could name an interface of another network namespace; the program id cannot.
                if (info.Type != Libbpf.BPF_LINK_TYPE_XDP || *(uint*)info.Union != ifindex || info.ProgramId != foreign.ProgramId) continue;
                int rc = Libbpf.bpf_link_detach(link.Fd);
                if (rc != 0) throw ErrnoFailures.Exception(Errno.FromResult(rc), BpfErrorKind.AttachFailed, $"Detaching the XDP link {id} failed");
                return;
            }
            throw new BpfException(BpfErrorKind.AttachFailed, $"The XDP program {foreign.ProgramId} ('{foreign.ProgramName}') could not be detached.",
                "Detach it with the tool that attached it, or: ip link set dev IFNAME xdp off; bpftool net show lists XDP programs.");
        }
    }
}
