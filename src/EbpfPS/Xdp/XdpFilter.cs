using System.Collections.Generic;
using System.IO;
using System.Linq;
using System;
using EbpfPS.Bpf;
using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Interop;
using EbpfPS.Introspection;

namespace EbpfPS.Xdp
{
    /// <summary>The XDP filter of one interface: its program, the link that attaches it and its maps,
    /// all pinned under /sys/fs/bpf/ebpfps/IFNAME. Disposing closes this process's descriptors only;
    /// Remove() detaches the filter and deletes the pins.</summary>
    internal sealed class XdpFilter : IDisposable
    {
        private const int ENOLINK = 67;

        private readonly FileDescriptorHandle _program;
        private readonly FileDescriptorHandle _link;

        private XdpFilter(string interfaceName, FileDescriptorHandle program, FileDescriptorHandle link, XdpFilterMaps maps)
        {
            Interface = interfaceName;
            _program = program;
            _link = link;
            Maps = maps;
        }

        internal string Interface { get; }
        internal XdpFilterMaps Maps { get; }
        internal string PinDirectory => XdpPins.Directory(Interface);

        internal static BpfException NotFound(string interfaceName) =>
            new(BpfErrorKind.NotFound, $"There is no EbpfPS XDP filter on {interfaceName}.",
                "Get-BpfXdpFilter lists the filtered interfaces; Add-BpfXdpFilter creates a filter with its first rule.")
            { ErrorId = BpfErrorIds.XdpFilterNotFound };

        internal static XdpFilter Open(string interfaceName)
        {
            if (!XdpPins.Exists(interfaceName)) throw NotFound(interfaceName);
            string directory = XdpPins.Directory(interfaceName);
            var program = KernelObjectIds.OpenPinned(Path.Combine(directory, XdpPins.ProgramPin)).Fd;
            try
            {
                var link = KernelObjectIds.OpenPinned(Path.Combine(directory, XdpPins.LinkPin)).Fd;
                try { return new XdpFilter(interfaceName, program, link, XdpFilterMaps.OpenPinned(directory)); }
                catch { link.Dispose(); throw; }
            }
            catch { program.Dispose(); throw; }
        }

        /// <summary>Loads the program, pins it with its maps, and attaches it (the link's pin comes last:
        /// it is what makes the filter exist for other processes). On failure nothing stays behind.</summary>
        internal static XdpFilter Create(string interfaceName, XdpMode? mode, bool force, Action<string> warn)
        {
            int ifindex = Interfaces.DemandIndex(interfaceName);
            if (XdpAttachment.Current(ifindex) is XdpAttachment.Attached foreign)
            {
                if (!force)
                    throw new BpfException(BpfErrorKind.AlreadyExists,
                        $"{interfaceName} already has the XDP program '{foreign.ProgramName}' (id {foreign.ProgramId}, {foreign.Mode} mode), which EbpfPS did not attach.",
                        $"Add -Force to replace it, or detach it with the tool that attached it (ip link set dev {interfaceName} xdp off); `bpftool net show` lists XDP programs.")
                    { ErrorId = BpfErrorIds.XdpProgramExists };
                warn($"Replacing the XDP program '{foreign.ProgramName}' (id {foreign.ProgramId}) on {interfaceName}.");
                XdpAttachment.DetachForeign(ifindex, foreign);
            }
            BpfFs.Demand(warn);
            string directory = XdpPins.Directory(interfaceName);
            using var open = new XdpFilterSkeleton.Open();
            using var skeleton = open.Load();
            if (Directory.Exists(directory)) XdpPins.Delete(interfaceName); // left by a process that died while creating it
            XdpPins.DemandSafeRoot(); // after the stale pins' removal, which takes an empty root away
            XdpPins.MakeDirectory(directory);
            try
            {
                using var maps = XdpFilterMaps.Of(skeleton.Object);
                int program = skeleton.XdpFilter.Fd;
                maps.PinAll(directory);
                XdpPins.Pin(program, Path.Combine(directory, XdpPins.ProgramPin));
                using var link = XdpAttachment.Attach(program, interfaceName, ifindex, mode, warn, out var attached);
                maps.WriteState(new XdpFilterState
                {
                    NextRuleId = 1,
                    Ifindex = (uint)ifindex,
                    XdpFlags = attached == XdpMode.Native ? XdpFlags.DriverMode : XdpFlags.SkbMode,
                    NetnsInode = Interfaces.NetworkNamespace(),
                    AttachedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                });
                XdpPins.Pin(link.Fd, Path.Combine(directory, XdpPins.LinkPin));
                return Open(interfaceName);
            }
            catch
            {
                XdpPins.Delete(interfaceName);
                throw;
            }
        }

        internal XdpMode Mode => Maps.ReadState().XdpFlags == XdpFlags.DriverMode ? XdpMode.Native : XdpMode.Generic;

        /// <summary>The rules of the filter on <paramref name="interfaceName"/>, in evaluation order.</summary>
        internal static List<XdpRule> RulesOf(string interfaceName)
        {
            using var filter = Open(interfaceName);
            return filter.Maps.ReadRules();
        }

        /// <summary>Whether the link still holds the program on the interface of that name in this
        /// network namespace (the interface may have been deleted, or recreated with a new index).</summary>
        internal bool IsAttachedHere()
        {
            var state = Maps.ReadState();
            return XdpAttachment.LinkedInterface(_link.Fd) == state.Ifindex
                && state.Ifindex == Interfaces.Index(Interface)
                && state.NetnsInode == Interfaces.NetworkNamespace();
        }

        internal void DemandAttachedHere()
        {
            if (!IsAttachedHere())
                throw new BpfException(BpfErrorKind.AttachFailed,
                    $"The XDP filter pinned for {Interface} is no longer attached to the interface of that name in this network namespace " +
                    "(the interface was deleted or recreated, or the filter belongs to another namespace).",
                    $"Remove it (Remove-BpfXdpFilter -Interface {Interface}) and add its rules again, from the interface's network namespace.")
                { ErrorId = BpfErrorIds.XdpFilterDetached };
        }

        /// <summary>Detaches the program from the interface and deletes every pin: the kernel frees the
        /// program and maps once no process holds them.</summary>
        internal void Remove()
        {
            int rc = Libbpf.bpf_link_detach(_link.Fd);
            int errno = Errno.FromResult(rc);
            // A link whose interface is gone is detached already (ENOLINK, or EINVAL on older kernels).
            if (rc != 0 && errno != ENOLINK && errno != Errno.EINVAL && errno != Errno.ENOENT)
                throw ErrnoFailures.Exception(errno, BpfErrorKind.AttachFailed, $"Detaching the XDP filter from {Interface} failed");
            XdpPins.Delete(Interface);
        }

        /// <summary>The filter as Get-BpfXdpFilter shows it: attachment, rules in order with counters, totals.</summary>
        internal BpfXdpFilter Describe()
        {
            var state = Maps.ReadState();
            var program = new NativeProgramInfo();
            ObjectInfo.Get(_program.Fd, ref program, $"the XDP filter program of {Interface}");
            var passed = Maps.Total(XdpTotal.Passed);
            var dropped = Maps.Total(XdpTotal.Dropped);
            return new BpfXdpFilter
            {
                Interface = Interface,
                InterfaceIndex = (int)state.Ifindex,
                Mode = Mode,
                Attached = XdpAttachment.LinkedInterface(_link.Fd) != 0,
                ProgramId = (int)program.Id,
                LinkId = (int)ObjectInfo.IdOf(_link.Fd),
                AttachedAt = DateTimeOffset.FromUnixTimeMilliseconds(state.AttachedUnixMs).LocalDateTime,
                Rules = Maps.ReadRules().Select((rule, priority) => Describe(rule, priority)).ToArray(),
                PassedPackets = passed.Packets,
                PassedBytes = passed.Bytes,
                DroppedPackets = dropped.Packets,
                DroppedBytes = dropped.Bytes,
                MalformedPackets = Maps.Total(XdpTotal.Malformed).Packets,
                NonIpPackets = Maps.Total(XdpTotal.NonIp).Packets,
                PinPath = PinDirectory,
            };
        }

        internal BpfXdpRule Describe(XdpRule rule, int priority)
        {
            var counter = Maps.Counter(rule.Slot);
            return new BpfXdpRule
            {
                Interface = Interface,
                RuleId = (int)rule.Id,
                Priority = priority,
                Action = rule.Action,
                Protocol = rule.Protocol is byte p ? IpProtocols.Name(p) : null,
                ProtocolNumber = rule.Protocol,
                SourceAddress = rule.Source?.ToString(),
                SourcePort = rule.SourcePort,
                DestinationAddress = rule.Destination?.ToString(),
                DestinationPort = rule.DestinationPort,
                Packets = counter.Packets,
                Bytes = counter.Bytes,
                AddedAt = rule.AddedAt,
            };
        }

        /// <summary>Describes a rule of this filter by id, at its present priority.</summary>
        internal BpfXdpRule Describe(XdpRule rule) =>
            Describe(rule, Math.Max(0, Maps.ReadRules().FindIndex(r => r.Id == rule.Id)));

        public void Dispose()
        {
            Maps.Dispose();
            _link.Dispose();
            _program.Dispose();
        }
    }
}
