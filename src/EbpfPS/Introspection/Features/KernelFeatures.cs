using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EbpfPS.Core.Btf;
using EbpfPS.Core;
using EbpfPS.Introspection.Maps;
using EbpfPS.Interop;

namespace EbpfPS.Introspection.Features
{
    /// <summary>What this kernel supports for eBPF, each found by trying it: loading a tiny program, creating
    /// a map, looking for the interface a kernel option adds. Get-BpfFeature shows them all; other cmdlets ask
    /// for the one behind a failure so that their error says what is missing. Each call probes the kernel as it
    /// is now, but for the two that probes decide their programs by (HasCookies, TracingTakesAllocatedMaps): once
    /// per process.</summary>
    internal static unsafe class KernelFeatures
    {
        internal const string Kernel = "Kernel", ProgramType = "ProgramType", MapType = "MapType";

        /// <summary>The names of the Kernel features <see cref="All"/> reports, in its order, for completion
        /// without probing (a test checks them against what All reports).</summary>
        internal static readonly string[] KernelNames =
        {
            "Privileges", "BTF", "JIT", "BpfFs", "TraceFs", "Tracepoints", "Kprobes", "Uprobes", "BtfTracepoints", "Fentry",
            "RingBuffer", "BpfCookies", "BatchLookup", "XdpGeneric", "XdpNative", "Tcx",
        };

        internal static IEnumerable<BpfFeature> All()
        {
            var config = KernelConfig.Read();
            yield return Privileges();
            yield return Btf(config);
            yield return Jit(config);
            yield return BpfFs();
            yield return TraceFs(config);
            yield return Tracepoints(config);
            yield return Kprobes(config);
            yield return Uprobes(config);
            var btfTracepoints = BtfTracepoints(config);
            yield return btfTracepoints;
            var fentry = Fentry(config);
            yield return fentry;
            yield return RingBuffer();
            yield return Cookies();
            yield return BatchLookup();
            yield return XdpGeneric();
            yield return XdpNative();
            yield return Tcx();
            foreach (var feature in ProgramTypes(config, btfTracepoints, fentry)) yield return feature;
            foreach (var feature in MapTypes()) yield return feature;
        }

        internal static BpfFeature Privileges()
        {
            bool can = Core.Privileges.CanTrace(Core.Privileges.EffectiveCapabilities());
            return Feature(Kernel, "Privileges", can, can
                ? "This process may load BPF programs (root, or CAP_BPF with CAP_PERFMON)."
                : "This process may not load BPF programs, and probes that load one cannot tell. " + Core.Privileges.Hint);
        }

        internal static BpfFeature Btf(KernelConfig config)
        {
            string path = KernelSupport.KernelBtfPath;
            if (!File.Exists(path))
                return Feature(Kernel, "BTF", false, $"{path} is missing: CO-RE programs cannot be loaded. {config.Missing("CONFIG_DEBUG_INFO_BTF")}".Trim());
            try
            {
                var spec = BtfSpec.Parse(File.ReadAllBytes(path));
                return Feature(Kernel, "BTF", true, $"{path} describes {spec.Count - 1} kernel types.");
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                return Feature(Kernel, "BTF", false, $"{path} cannot be read as BTF: {e.Message}");
            }
        }

        internal static BpfFeature Jit(KernelConfig config)
        {
            string sysctl = ReadText("/proc/sys/net/core/bpf_jit_enable") ?? "?";
            if (!CanLoad(out var why)) return Feature(Kernel, "JIT", null, $"bpf_jit_enable is {sysctl}; {why}");
            var (program, errno) = ProgramLoadProbe.Load(ProgramLoadProbe.SocketFilter);
            if (program is null) return Feature(Kernel, "JIT", null, $"bpf_jit_enable is {sysctl}; loading a socket filter failed: {Errno.Describe(errno)}.");
            using (program)
            {
                bool jited = ProgramInfoReader.Read(program.Fd).Jited;
                string always = config.Missing("CONFIG_BPF_JIT_ALWAYS_ON").Length == 0 && config.IsKnown ? " (CONFIG_BPF_JIT_ALWAYS_ON)" : "";
                return Feature(Kernel, "JIT", jited, jited
                    ? $"Programs are compiled to native code{always}; bpf_jit_enable is {sysctl}."
                    : $"Programs run in the interpreter; bpf_jit_enable is {sysctl} (set it to 1). {config.Missing("CONFIG_BPF_JIT")}".Trim());
            }
        }

        internal static BpfFeature BpfFs()
        {
            var mounts = PinnedObjects.BpfFsMounts();
            return Feature(Kernel, "BpfFs", mounts.Count > 0, mounts.Count > 0
                ? $"Mounted at {string.Join(", ", mounts)}: objects can be pinned."
                : "No bpffs is mounted, so nothing can be pinned: mount -t bpf bpf /sys/fs/bpf");
        }

        internal static BpfFeature TraceFs(KernelConfig config)
        {
            var mounts = Mounts("tracefs");
            return Feature(Kernel, "TraceFs", mounts.Count > 0, mounts.Count > 0
                ? $"Mounted at {string.Join(", ", mounts)}."
                : $"tracefs is not mounted: mount -t tracefs nodev /sys/kernel/tracing. {config.Missing("CONFIG_TRACING")}".Trim());
        }

        internal static BpfFeature Tracepoints(KernelConfig config)
        {
            bool pmu = Directory.Exists("/sys/bus/event_source/devices/tracepoint");
            return Feature(Kernel, "Tracepoints", pmu, pmu
                ? "The perf tracepoint event source exists: tracepoint programs can attach."
                : $"No tracepoint event source in /sys/bus/event_source/devices. {config.Missing("CONFIG_TRACEPOINTS", "CONFIG_PERF_EVENTS")}".Trim());
        }

        internal static BpfFeature Kprobes(KernelConfig config) => DynamicProbe(config, "Kprobes", "kprobe", "CONFIG_KPROBES", "CONFIG_KPROBE_EVENTS");

        internal static BpfFeature Uprobes(KernelConfig config) => DynamicProbe(config, "Uprobes", "uprobe", "CONFIG_UPROBES", "CONFIG_UPROBE_EVENTS");

        /// <summary>Kprobes and uprobes attach through their perf event source (or, on old kernels, tracefs's
        /// *_events files); a kernel built without them has neither.</summary>
        private static BpfFeature DynamicProbe(KernelConfig config, string name, string kind, params string[] options)
        {
            string pmu = $"/sys/bus/event_source/devices/{kind}";
            string? events = KernelSupport.TraceFsPaths.Select(p => Path.Combine(p, $"{kind}_events")).FirstOrDefault(File.Exists);
            if (Directory.Exists(pmu))
                return Feature(Kernel, name, true, $"The {kind} perf event source exists ({pmu}).");
            if (events is not null)
                return Feature(Kernel, name, true, $"{events} exists (legacy attach through tracefs).");
            return Feature(Kernel, name, false,
                $"This kernel has no {kind} event source ({pmu}) and no {kind}_events in tracefs. {config.Missing(options)}".Trim());
        }

        /// <summary>tp_btf programs: BPF_PROG_TYPE_TRACING on a raw tracepoint's BTF.</summary>
        internal static BpfFeature BtfTracepoints(KernelConfig config) =>
            TracingLoad(config, "BtfTracepoints", "btf_trace_sched_switch", BtfKind.Typedef, ProgramLoadProbe.TraceRawTracepoint, attach: false,
                "a tp_btf program on sched_switch");

        /// <summary>fentry/fexit: a tracing program on a kernel function, loaded and attached (the trampoline).</summary>
        internal static BpfFeature Fentry(KernelConfig config) =>
            TracingLoad(config, "Fentry", "do_nanosleep", BtfKind.Function, ProgramLoadProbe.TraceFentry, attach: true,
                "an fentry program on do_nanosleep", "CONFIG_FUNCTION_TRACER", "CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS");

        private static BpfFeature TracingLoad(KernelConfig config, string name, string target, uint kind, uint attachType, bool attach,
            string what, params string[] options)
        {
            if (!CanLoad(out var why)) return Feature(Kernel, name, null, why);
            int btfId = VmlinuxTypeId(target, kind);
            if (btfId <= 0) return Feature(Kernel, name, false, $"{target} is not in the kernel's BTF, so {what} cannot be tried. {config.Missing("CONFIG_DEBUG_INFO_BTF")}".Trim());
            var (program, errno) = ProgramLoadProbe.Load(ProgramLoadProbe.Tracing, attachType, (uint)btfId);
            if (program is null)
                return Feature(Kernel, name, false, Sentences($"Loading {what} fails: {Errno.Describe(errno)}.", config.Missing(options), Refused(errno)));
            using (program)
            {
                if (!attach) return Feature(Kernel, name, true, $"The kernel loads {what}.");
                int link = Libbpf.bpf_link_create(program.Fd, 0, attachType, null);
                if (link < 0)
                    return Feature(Kernel, name, false, $"The kernel loads {what} but attaching it fails: {Errno.Describe(Errno.FromResult(link))}. {config.Missing(options)}".Trim());
                new FileDescriptorHandle(link).Dispose();
                return Feature(Kernel, name, true, $"The kernel loads and attaches {what}.");
            }
        }

        internal static BpfFeature RingBuffer()
        {
            int result = Libbpf.libbpf_probe_bpf_map_type(Introspection.Maps.MapTypes.RingBuffer, 0);
            return Feature(Kernel, "RingBuffer", Answer(result), result switch
            {
                1 => "BPF_MAP_TYPE_RINGBUF can be created: events reach user space through a ring buffer.",
                0 => "BPF_MAP_TYPE_RINGBUF cannot be created (kernels before 5.8): events use perf buffers instead.",
                _ => $"libbpf could not probe it: {Errno.Describe(-result)}.",
            });
        }

        private const uint GetAttachCookie = 174; // BPF_FUNC_get_attach_cookie

        /// <summary>BPF cookies (5.15): a value per attachment that lets one program serve many tracepoints.</summary>
        internal static BpfFeature Cookies()
        {
            int result = Libbpf.libbpf_probe_bpf_helper(ProgramLoadProbe.Tracepoint, GetAttachCookie, 0);
            return Feature(Kernel, "BpfCookies", Answer(result), result switch
            {
                1 => "Tracepoint programs may call bpf_get_attach_cookie: one program serves any number of tracepoints.",
                0 => "Tracepoint programs may not call bpf_get_attach_cookie (kernels before 5.15): a -Tracepoint trace takes one " +
                     "tracepoint at a time, and -Syscall tells syscalls apart by their numbers instead.",
                _ => $"libbpf could not probe it: {Errno.Describe(-result)}.",
            });
        }

        private static readonly Lazy<bool> s_cookies = new(() => Cookies().Supported == true);
        private static readonly Lazy<bool> s_allocatedMaps = new(ProbeAllocatedMaps);

        /// <summary>Whether the kernel has BPF cookies (<see cref="Cookies"/>), tried once per process.</summary>
        internal static bool HasCookies => s_cookies.Value;

        private static bool s_rawSyscallTracepoints;

        /// <summary>Whether syscalls can be met on the raw sys_enter/sys_exit tracepoints: BTF tracepoints and task storage
        /// (whose use in tracing programs came in 5.12, a release after the map type), each tried. A yes is kept for the
        /// process (the probe parses the kernel's BTF: tens of milliseconds of every syscall trace's start); a no is asked
        /// again, as it may have come from a session without the privileges to load a program.</summary>
        internal static bool RawSyscallTracepoints => s_rawSyscallTracepoints = s_rawSyscallTracepoints
            || (CanCreateMap(Maps.MapTypes.TaskStorage) && BtfTracepoints(KernelConfig.Read()).Supported == true);

        /// <summary>Whether kprobe, tracepoint and perf-event programs may use hash maps whose entries are allocated as
        /// used (BPF_F_NO_PREALLOC): 6.1 and later; before, the verifier refuses them as unsafe. Tried once per process.</summary>
        internal static bool TracingTakesAllocatedMaps => s_allocatedMaps.Value;

        private static bool ProbeAllocatedMaps()
        {
            var options = new BpfMapCreateOptions { Size = (nuint)sizeof(BpfMapCreateOptions), MapFlags = BpfMapFlags.NoPrealloc };
            int fd = Libbpf.bpf_map_create(Introspection.Maps.MapTypes.Hash, "ebpfps_probe", 4, 8, 1, &options);
            if (fd < 0) return false;
            using var map = new FileDescriptorHandle(fd);
            var (program, _) = ProgramLoadProbe.Load(ProgramLoadProbe.Tracepoint, mapFd: fd);
            program?.Dispose();
            return program is not null;
        }

        /// <summary>Whether map entries can be read many per syscall (Read-BpfMap falls back to one by one).</summary>
        internal static BpfFeature BatchLookup()
        {
            if (!CanLoad(out var why)) return Feature(Kernel, "BatchLookup", null, why);
            int fd = Libbpf.bpf_map_create(Introspection.Maps.MapTypes.Hash, "ebpfps_probe", 4, 4, 1, null);
            if (fd < 0) return Feature(Kernel, "BatchLookup", null, $"Creating a hash map failed: {Errno.Describe(Errno.FromResult(fd))}.");
            using var map = new FileDescriptorHandle(fd);
            var keys = stackalloc uint[1];
            var values = stackalloc uint[1];
            uint outBatch, count = 1;
            int errno = Errno.FromResult(Libbpf.bpf_map_lookup_batch(fd, null, &outBatch, keys, values, &count, null));
            bool supported = errno == Errno.ENOENT; // an empty map's first batch is its last
            return Feature(Kernel, "BatchLookup", supported, supported
                ? "Map entries can be read in batches (BPF_MAP_LOOKUP_BATCH)."
                : $"BPF_MAP_LOOKUP_BATCH fails ({Errno.Describe(errno)}): maps are read one entry at a time.");
        }

        internal static BpfFeature XdpGeneric()
        {
            int result = Libbpf.libbpf_probe_bpf_prog_type(ProgramLoadProbe.Xdp, 0);
            return Feature(Kernel, "XdpGeneric", Answer(result), result == 1
                ? "XDP programs load and can attach to any interface in generic (skb) mode."
                : "XDP programs cannot be loaded on this kernel.");
        }

        internal static BpfFeature XdpNative() => XdpFeatures.Native();

        private const uint SchedCls = 3;
        private const int ENODEV = 19;

        /// <summary>tcx (6.6): tc programs attached to an interface through bpf links, without a qdisc. Tried on
        /// interface index 0: a kernel with tcx looks the interface up (ENODEV), one without refuses the attach type.</summary>
        internal static BpfFeature Tcx()
        {
            if (!CanLoad(out var why)) return Feature(Kernel, "Tcx", null, why);
            var (program, errno) = ProgramLoadProbe.Load(SchedCls);
            if (program is null) return Feature(Kernel, "Tcx", false, $"A tc (sched_cls) program cannot be loaded: {Errno.Describe(errno)}.");
            using (program)
            {
                int link = Libbpf.bpf_link_create(program.Fd, 0, Libbpf.BPF_TCX_INGRESS, null);
                if (link >= 0) new FileDescriptorHandle(link).Dispose();
                int result = link >= 0 ? 0 : Errno.FromResult(link);
                return result == ENODEV
                    ? Feature(Kernel, "Tcx", true, "tc programs attach to an interface's ingress or egress through bpf links (tcx).")
                    : Feature(Kernel, "Tcx", false, $"tc programs cannot attach through bpf links (tcx, kernel 6.6+): {Errno.Describe(result)}. " +
                        "Start-BpfTrace and Register-BpfProgram -Interface attach tc sections only through tcx.");
            }
        }

        /// <summary>Whether the kernel has tcx (<see cref="Tcx"/>), tried once per process.</summary>
        internal static bool HasTcx => s_tcx.Value;

        private static readonly Lazy<bool> s_tcx = new(() => Tcx().Supported == true);

        private const uint Ext = 28;

        /// <summary>Whether the kernel refuses programs of this type (the ProgramType feature of that name); false
        /// where libbpf's probe cannot tell (tracing, ext and lsm programs load only with their target, which its
        /// probe does not give: their own load says what is missing).</summary>
        internal static bool LacksProgramType(uint programType) =>
            programType is not (ProgramLoadProbe.Tracing or Ext or ProgramLoadProbe.Lsm) && Libbpf.libbpf_probe_bpf_prog_type(programType, 0) == 0;

        /// <summary>Every program type, by libbpf's probe; tracing and LSM by probes of our own, because libbpf's
        /// (a load with a made-up attach target) answers "no" where fentry alone is refused.</summary>
        internal static IEnumerable<BpfFeature> ProgramTypes(KernelConfig config, BpfFeature tp, BpfFeature fentry)
        {
            foreach (var (type, name) in BpfTypeNames.ProgramTypes())
            {
                if (type == ProgramLoadProbe.Tracing)
                {
                    bool? any = tp.Supported == true || fentry.Supported == true ? true : tp.Supported is null || fentry.Supported is null ? null : false;
                    yield return Feature(ProgramType, name, any, Sentences(tp.Detail, fentry.Detail));
                    continue;
                }
                if (type == ProgramLoadProbe.Lsm)
                {
                    yield return Lsm(config, name);
                    continue;
                }
                int result = Libbpf.libbpf_probe_bpf_prog_type(type, 0);
                yield return Feature(ProgramType, name, Answer(result), Explain(result, "load", $"BPF_PROG_TYPE_{name.ToUpperInvariant()}"));
            }
        }

        /// <summary>LSM programs load where BPF LSM is built in; they attach only where "bpf" is an active LSM.</summary>
        private static BpfFeature Lsm(KernelConfig config, string name)
        {
            if (!CanLoad(out var why)) return Feature(ProgramType, name, null, why);
            int btfId = VmlinuxTypeId("bpf_lsm_file_open", BtfKind.Function);
            if (btfId <= 0) return Feature(ProgramType, name, false, $"bpf_lsm_file_open is not in the kernel's BTF. {config.Missing("CONFIG_BPF_LSM")}".Trim());
            var (program, errno) = ProgramLoadProbe.Load(ProgramLoadProbe.Lsm, ProgramLoadProbe.LsmMac, (uint)btfId);
            program?.Dispose();
            string? active = ReadText("/sys/kernel/security/lsm");
            string attach = active is null ? "Whether they can attach depends on \"bpf\" being an active LSM, which /sys/kernel/security/lsm would tell (securityfs is not mounted)."
                : active.Split(',').Contains("bpf") ? "\"bpf\" is an active LSM, so they can attach."
                : $"\"bpf\" is not among the active LSMs ({active}): add lsm=...,bpf to the kernel command line to attach them.";
            return Feature(ProgramType, name, program is not null, program is not null
                ? $"LSM programs load. {attach}"
                : $"Loading an LSM program fails: {Errno.Describe(errno)}. {config.Missing("CONFIG_BPF_LSM")}".Trim());
        }

        internal static bool CanCreateMap(uint mapType) => Libbpf.libbpf_probe_bpf_map_type(mapType, 0) == 1;

        internal static IEnumerable<BpfFeature> MapTypes()
        {
            foreach (var (type, name) in BpfTypeNames.MapTypes())
            {
                int result = Libbpf.libbpf_probe_bpf_map_type(type, 0);
                yield return Feature(MapType, name, Answer(result), Explain(result, "create", $"BPF_MAP_TYPE_{name.ToUpperInvariant()}"));
            }
        }

        private static string Explain(int result, string verb, string what) => result switch
        {
            1 => $"The kernel can {verb} {what}.",
            0 => $"The kernel cannot {verb} {what}.",
            _ => $"libbpf {Libbpf.libbpf_major_version()}.{Libbpf.libbpf_minor_version()} cannot probe {what}: {Errno.Describe(-result)}.",
        };

        /// <summary>EPERM for a process that has the privileges is the kernel's own no.</summary>
        private static string Refused(int errno) => errno == Errno.EPERM
            ? "This process has the privileges, so the kernel itself refuses it (lockdown, a security module, or how it was built)."
            : "";

        private static string Sentences(params string[] parts) => string.Join(" ", parts.Where(p => p.Length > 0));

        private static bool? Answer(int libbpfResult) => libbpfResult switch { 1 => true, 0 => false, _ => null };

        private static bool CanLoad(out string why)
        {
            why = "Probing it means loading a program, which needs root (or CAP_BPF with CAP_PERFMON).";
            return Core.Privileges.CanTrace(Core.Privileges.EffectiveCapabilities());
        }

        /// <summary>One type id, asked of libbpf: a trace's start-up probes this, and libbpf's C parser of the
        /// kernel's BTF takes a fraction of the time and memory of reading it whole in C# (KernelBtf).</summary>
        private static int VmlinuxTypeId(string name, uint kind)
        {
            nint btf = Libbpf.btf__load_vmlinux_btf();
            if (btf == 0) return -1;
            try { return Libbpf.btf__find_by_name_kind(btf, name, kind); }
            finally { Libbpf.btf__free(btf); }
        }

        private static List<string> Mounts(string type) => File.ReadLines("/proc/mounts")
            .Select(l => l.Split(' ')).Where(f => f.Length > 2 && f[2] == type).Select(f => f[1]).ToList();

        private static string? ReadText(string path)
        {
            try { return File.ReadAllText(path).Trim(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        }

        private static BpfFeature Feature(string category, string name, bool? supported, string detail) =>
            new() { Category = category, Name = name, Supported = supported, Detail = detail };

    }
}
