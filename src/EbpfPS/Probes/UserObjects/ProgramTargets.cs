using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using EbpfPS.Core;
using EbpfPS.Core.Objects;
using EbpfPS.Introspection;
using EbpfPS.Introspection.Features;
using EbpfPS.Introspection.Maps;
using EbpfPS.Interop;

namespace EbpfPS.Probes.UserObjects
{
    /// <summary>Where a program of a user's object attaches: where its section says (tracing), to the cgroup or the
    /// interface the user names, to a socket map of the object, to a CPU clock event on each CPU (perf_event), or nowhere
    /// (a tail call's target, run from a program array).</summary>
    internal enum ProgramTarget { Section, Cgroup, Xdp, TcIngress, TcEgress, TcUndirected, SocketMap, TailCall, CpuClock }

    /// <summary>The rules that decide a program's target from its type and section, checked before load so that a
    /// missing target or a hook the kernel lacks fails without loading anything, and the attachment itself.</summary>
    internal static class ProgramTargets
    {
        // enum bpf_prog_type
        private const uint SchedCls = 3, Xdp = 6, PerfEvent = 7, CgroupSkb = 8, CgroupSock = 9, SockOps = 13, CgroupDevice = 15,
            CgroupSockAddr = 18, CgroupSysctl = 23, CgroupSockopt = 25;

        /// <summary>tc sections newer libbpf knows and 1.1 does not (it leaves their type unset): their direction.</summary>
        private static readonly Dictionary<string, ProgramTarget> TcSections = new(StringComparer.Ordinal)
        {
            ["tc/ingress"] = ProgramTarget.TcIngress, ["tc/egress"] = ProgramTarget.TcEgress,
            ["tcx/ingress"] = ProgramTarget.TcIngress, ["tcx/egress"] = ProgramTarget.TcEgress,
        };

        /// <param name="tailCalled">After load: the names of the programs the object's program arrays hold (<see cref="TailCalled"/>).</param>
        internal static ProgramTarget Of(BpfProgram program, ISet<string>? tailCalled = null) => program.Type switch
        {
            _ when tailCalled?.Contains(program.Name) == true => ProgramTarget.TailCall,
            CgroupSkb or CgroupSock or SockOps or CgroupDevice or CgroupSockAddr or CgroupSysctl or CgroupSockopt => ProgramTarget.Cgroup,
            Xdp when program.SectionName is "xdp" or "xdp.frags" => ProgramTarget.Xdp,
            PerfEvent => ProgramTarget.CpuClock,
            SchedCls => TcSections.TryGetValue(program.SectionName, out var direction) ? direction : ProgramTarget.TcUndirected,
            SocketMaps.SkSkb or SocketMaps.SkMsg => ProgramTarget.SocketMap,
            _ => ProgramTarget.Section,
        };

        /// <summary>Before load: gives the tc sections libbpf 1.1 does not know their program type.</summary>
        internal static void TypeTcSections(BpfObject obj)
        {
            foreach (var program in obj.Programs().Where(p => p.Type == 0 && TcSections.ContainsKey(p.SectionName)))
                program.SetType(SchedCls);
        }

        /// <summary>Before load: every program that loads has its target, and a kernel that takes its type and hook.</summary>
        internal static void Demand(BpfObject obj, AttachTargets targets)
        {
            foreach (var program in obj.Programs().Where(p => p.LoadsWithObject))
            {
                uint type = program.Type;
                if (type != 0 && KernelFeatures.LacksProgramType(type))
                {
                    string feature = BpfTypeNames.Program(type);
                    throw new BpfException(BpfErrorKind.NotSupported,
                        $"This kernel does not load {feature} programs, the type of '{program.Name}' (SEC(\"{program.SectionName}\")) in '{obj.Name}'.",
                        $"Get-BpfFeature -Name {feature} says why; leave the program out of the object, or run it on a kernel that has {feature}.")
                    { ErrorId = BpfErrorIds.BpfProgramTypeNotSupported };
                }
                var target = Of(program);
                if (target == ProgramTarget.Cgroup && targets.CgroupPath is null)
                    throw TargetMissing(obj, program, "a cgroup", "-Cgroup with a cgroup v2 directory (e.g. /sys/fs/cgroup/unified/app)");
                if (target is (ProgramTarget.Xdp or ProgramTarget.TcIngress or ProgramTarget.TcEgress or ProgramTarget.TcUndirected) && targets.Interface is null)
                    throw TargetMissing(obj, program, "a network interface", "-Interface with an interface's name (ip -brief link lists them)");
                if (target == ProgramTarget.TcUndirected && targets.TcDirection is null)
                    throw new BpfException(BpfErrorKind.InvalidArgument,
                        $"'{program.Name}' (SEC(\"{program.SectionName}\")) of '{obj.Name}' is a tc program whose section does not say which way it filters.",
                        "Give -Direction Ingress or -Direction Egress, or name its section SEC(\"tc/ingress\") or SEC(\"tc/egress\").") { ErrorId = BpfErrorIds.TcDirectionMissing };
                if (target == ProgramTarget.SocketMap) SocketMaps.Demand(obj, program, targets.SocketMap);
            }
        }

        private static BpfException TargetMissing(BpfObject obj, BpfProgram program, string what, string give) =>
            new(BpfErrorKind.InvalidArgument,
                $"'{program.Name}' (SEC(\"{program.SectionName}\")) of '{obj.Name}' attaches to {what}, and none was given.",
                $"Give {give}.") { ErrorId = BpfErrorIds.BpfAttachTargetMissing };

        /// <summary>What the user gave that no program of the object attaches to, as warnings (a trace's and a
        /// registration's alike).</summary>
        internal static IEnumerable<string> Unused(BpfObject obj, AttachTargets targets)
        {
            var kinds = obj.Programs().Select(p => Of(p)).ToList();
            if (targets.TcDirection is { } tcDirection && !kinds.Contains(ProgramTarget.TcUndirected))
                yield return $"No tc program of '{obj.Name}' leaves its direction to -Direction (SEC(\"tc\") or SEC(\"classifier\")): -Direction {tcDirection} is not used.";
            if (targets.CgroupPath is { } cgroup && !kinds.Contains(ProgramTarget.Cgroup))
                yield return $"No program of '{obj.Name}' attaches to a cgroup (cgroup_skb, cgroup/..., sockops sections): -Cgroup {cgroup} is not used.";
            if (targets.Interface is { } interfaceName && !kinds.Any(k => k is ProgramTarget.Xdp or ProgramTarget.TcIngress or ProgramTarget.TcEgress or ProgramTarget.TcUndirected))
                yield return $"No program of '{obj.Name}' attaches to an interface (xdp, tc/ingress, tc/egress sections): -Interface {interfaceName} is not used.";
            foreach (var unused in SocketMaps.Unused(obj, targets.SocketMap))
                yield return unused;
            if (targets.SamplingGiven && !kinds.Contains(ProgramTarget.CpuClock))
                yield return $"No program of '{obj.Name}' samples CPU clock events (perf_event sections): -Frequency and -Cpu are not used.";
        }

        /// <summary>tc programs attach as filters on the clsact qdisc even where the kernel has tcx: set by the tests of
        /// that way, which the kernels before 6.6 take.</summary>
        internal static bool TcThroughClsact { get; set; }

        /// <summary>After load: the programs that the object's program arrays hold. libbpf puts them there at load from
        /// the arrays' declarative initialisers (`.values = { [0] = (void *)&amp;step_two }`), and they run only by tail
        /// call, so nothing attaches them (their sections, SEC("tp") or SEC("xdp"), need not name a target). Read from the
        /// kernel, whose lookup in a program array gives the program's id, rather than from the ELF's relocations of .maps:
        /// what is left unattached is exactly what libbpf put into the arrays.</summary>
        internal static HashSet<string> TailCalled(BpfObject obj)
        {
            var ids = new HashSet<uint>();
            foreach (var map in obj.Maps().Where(m => m.Type == MapTypes.ProgramArray && m.Fd >= 0))
                using (var array = KernelMap.Borrow(map.Fd))
                    foreach (var entry in MapEntries.Read(array, entriesPerBatch: 0)) // the kernel has no batch lookup for them
                        ids.Add(MemoryMarshal.Read<uint>(entry.Value));
            return obj.Programs().Where(p => p.Fd >= 0 && ids.Contains(ObjectInfo.IdOf(p.Fd))).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        }

        /// <summary>Attaches every loaded program to its target, except the tail calls' targets, which stay loaded only.</summary>
        /// <param name="progress">Cancels between two attachments; the object's disposal detaches what was attached.</param>
        internal static void AttachAll(BpfObject obj, AttachTargets targets, AttachProgress? progress = null)
        {
            var tailCalled = TailCalled(obj);
            obj.AttachAll(progress, program => Attach(obj, program, targets, tailCalled));
        }

        /// <summary>Attaches a loaded program to its target (what <see cref="Demand"/> checked is there); null for a tail
        /// call's target.</summary>
        private static BpfLink? Attach(BpfObject obj, BpfProgram program, AttachTargets targets, ISet<string> tailCalled) => Of(program, tailCalled) switch
        {
            ProgramTarget.TailCall => null,
            ProgramTarget.CpuClock => AttachCpuClocks(obj, program, targets),
            ProgramTarget.Cgroup => obj.AttachCgroup(program, targets.CgroupFd, targets.CgroupPath!),
            ProgramTarget.Xdp => obj.AttachXdp(program, targets.InterfaceIndex, targets.Interface!),
            ProgramTarget.TcIngress => AttachTc(obj, program, targets, egress: false),
            ProgramTarget.TcEgress => AttachTc(obj, program, targets, egress: true),
            ProgramTarget.TcUndirected => AttachTc(obj, program, targets, egress: targets.TcDirection == BpfTcDirection.Egress),
            ProgramTarget.SocketMap => obj.AttachSocketMap(program, SocketMaps.Of(obj, targets.SocketMap), SocketMaps.AttachTypeOf(program)),
            _ => AttachBySection(obj, program),
        };

        /// <summary>Through a tcx link (6.6+), else as a filter on the interface's clsact qdisc.</summary>
        private static BpfLink AttachTc(BpfObject obj, BpfProgram program, AttachTargets targets, bool egress) =>
            KernelFeatures.HasTcx && !TcThroughClsact
                ? obj.AttachTcx(program, targets.InterfaceIndex, egress, targets.Interface!)
                : obj.AttachTcFilter(program, targets.InterfaceIndex, egress, targets.Interface!, targets.NetworkNamespace);

        /// <summary>To a CPU clock event at the asked frequency on each CPU asked (SEC("perf_event") names no event, and
        /// libbpf attaches it to none): the profiler's events. The last CPU's link stands for them all.</summary>
        private static BpfLink AttachCpuClocks(BpfObject obj, BpfProgram program, AttachTargets targets)
        {
            BpfLink? last = null;
            foreach (int cpu in targets.Cpus) last = CpuClockEvents.Attach(obj, program, cpu, targets.Frequency);
            return last!;
        }

        /// <summary>Where its SEC() name says. libbpf attaches nothing for a section that names no hook (SEC("tp"),
        /// SEC("kprobe")) and says EOPNOTSUPP: the section of a tail call's target left out of every program array.</summary>
        private static BpfLink AttachBySection(BpfObject obj, BpfProgram program)
        {
            try { return obj.Attach(program); }
            catch (BpfException e) when (e.Errno == Errno.EOPNOTSUPP)
            {
                throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"'{program.Name}' (SEC(\"{program.SectionName}\")) of '{obj.Name}' names no hook to attach to, and no program array of the object holds it for tail calls.",
                    $"Name the hook in its section, as SEC(\"tp/syscalls/sys_enter_getppid\"); or, if tail calls run it, put it in a program array's initialiser: .values = {{ [0] = (void *)&{program.Name} }}.",
                    e) { ErrorId = BpfErrorIds.BpfAttachTargetMissing, Errno = e.Errno };
            }
        }
    }
}
