using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using EbpfPS.Core;
using EbpfPS.Core.Btf;
using EbpfPS.Interop;

namespace EbpfPS.Introspection
{
    /// <summary>A link's details from its fd: bpf_link_info, with the union read by link type into an attach
    /// type and a target a person can read (tracepoint, function, interface, cgroup...).</summary>
    internal sealed unsafe class LinkInfoReader
    {
        private const int NameCapacity = 256;
        private readonly Dictionary<uint, BtfSpec?> _btfById = new();
        private readonly Probes.Aggregation.CgroupNames _cgroups = new();

        // enum bpf_link_type
        private const uint RawTracepoint = 1, Tracing = 2, Cgroup = 3, Iterator = 4, Netns = 5, Xdp = 6, PerfEvent = 7,
            KprobeMulti = 8, StructOps = 9, Netfilter = 10, Tcx = 11, UprobeMulti = 12, Netkit = 13, Sockmap = 14;

        private static readonly string[] PerfEventKinds = { "", "uprobe", "uretprobe", "kprobe", "kretprobe", "tracepoint", "event" };

        internal BpfLinkInfo Read(int fd, PinnedObjects? pins = null)
        {
            var info = new NativeLinkInfo();
            ObjectInfo.Get(fd, ref info, "a BPF link");
            var name = new byte[NameCapacity];
            fixed (byte* buffer = name)
            {
                if (NamePointerOffset(info.Type, out int pointerAt, out int lengthAt))
                {
                    uint type = info.Type;
                    info = new NativeLinkInfo();
                    *(ulong*)(info.Union + pointerAt) = (ulong)buffer;
                    *(uint*)(info.Union + lengthAt) = NameCapacity;
                    ObjectInfo.Get(fd, ref info, "a BPF link");
                    if (info.Type != type) name[0] = 0;
                }
            }
            var (attachType, target) = Describe(info, CStrings.Read(name));
            return new BpfLinkInfo
            {
                Id = info.Id,
                Type = BpfTypeNames.Link(info.Type),
                ProgramId = info.ProgramId,
                AttachType = attachType,
                Target = target,
                PinnedPaths = pins?.PathsOf(BpfObjectKind.Link, info.Id) ?? Array.Empty<string>(),
            }.WithRegistration();
        }

        /// <summary>Where, in the union, a link type wants a buffer for its name and the buffer's length.</summary>
        private static bool NamePointerOffset(uint type, out int pointer, out int length)
        {
            (pointer, length) = type switch
            {
                RawTracepoint or Iterator => (0, 8),
                PerfEvent => (8, 16),
                UprobeMulti => (0, 32),
                _ => (-1, -1),
            };
            return pointer >= 0;
        }

        private (string AttachType, string Target) Describe(NativeLinkInfo info, string name)
        {
            var u = new ReadOnlySpan<byte>(info.Union, 80).ToArray();
            uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(u[at..]);
            ulong U64(int at) => BinaryPrimitives.ReadUInt64LittleEndian(u[at..]);
            switch (info.Type)
            {
                case RawTracepoint: return ("", name);
                case Tracing: return (BpfTypeNames.Attach(U32(0)), TracingTarget(U32(4), U32(8)));
                case Cgroup: return (BpfTypeNames.Attach(U32(8)), _cgroups.FullPathOf(U64(0)) ?? $"cgroup {U64(0)}");
                case Iterator: return ("", name);
                case Netns: return (BpfTypeNames.Attach(U32(4)), $"netns {U32(0)}");
                case Xdp: return ("xdp", NetworkInterfaces.NameOf(U32(0)));
                case PerfEvent when U32(0) == 0: return ("", ""); // kernels before 6.6 tell nothing of perf event links
                case PerfEvent:
                    uint kind = U32(0);
                    string attach = kind < PerfEventKinds.Length ? PerfEventKinds[kind] : $"perf event type {kind}";
                    return (attach, kind switch
                    {
                        1 or 2 => $"{name}+0x{U32(20):x}",
                        3 or 4 => name.Length > 0 ? (U32(20) > 0 ? $"{name}+0x{U32(20):x}" : name) : $"0x{U64(16):x}",
                        5 => name,
                        _ => $"config 0x{U64(8):x} type {U32(16)}",
                    });
                case KprobeMulti: return ("kprobe_multi", $"{U32(8)} functions");
                case UprobeMulti: return ("uprobe_multi", $"{name} ({U32(36)} probes)");
                case StructOps: return ("struct_ops", $"map {U32(0)}");
                case Netfilter: return ("netfilter", $"pf {U32(0)} hook {U32(4)} priority {(int)U32(8)}");
                case Tcx or Netkit: return (BpfTypeNames.Attach(U32(4)), NetworkInterfaces.NameOf(U32(0)));
                case Sockmap: return (BpfTypeNames.Attach(U32(4)), $"map {U32(0)}");
                default: return ("", "");
            }
        }

        /// <summary>fentry/fexit/tp_btf targets are BTF ids of a function or a tracepoint's typedef.</summary>
        private string TracingTarget(uint btfObjectId, uint btfTypeId)
        {
            if (!_btfById.TryGetValue(btfObjectId, out var btf))
                _btfById[btfObjectId] = btf = BtfLoader.TryFromKernel(btfObjectId);
            if (btf is null || btfTypeId >= btf.Count) return $"btf {btfObjectId} type {btfTypeId}";
            string name = btf[btfTypeId].Name;
            return name.StartsWith("btf_trace_", StringComparison.Ordinal) ? name["btf_trace_".Length..] : name;
        }
    }
}
