using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using EbpfPS.Core.Btf;
using EbpfPS.Interop;

namespace EbpfPS.Core.Objects
{
    /// <summary>A BPF ELF object through its life: open, set globals and map sizes, load, attach.
    /// Disposing it detaches every link and unloads every program and map it created.</summary>
    internal sealed unsafe class BpfObject : IDisposable
    {
        private readonly BpfObjectHandle _handle;
        private readonly List<BpfLink> _links = new();

        private BpfObject(BpfObjectHandle handle, string name)
        {
            _handle = handle;
            Name = name;
        }

        internal string Name { get; }

        /// <summary>libbpf's log lines of every step so far, for Verbose/Debug output.</summary>
        internal List<LibbpfLog.Line> Log { get; } = new();

        internal IReadOnlyList<BpfLink> Links => _links;

        internal bool IsDisposed => _handle.IsClosed;

        internal static BpfObject Open(ReadOnlySpan<byte> elf, string name)
        {
            using var log = LibbpfLog.Capture();
            var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
            nint raw;
            fixed (byte* buffer = elf)
            fixed (byte* namePtr = nameBytes)
            {
                var options = new BpfObjectOpenOptions { Size = (nuint)sizeof(BpfObjectOpenOptions), ObjectName = namePtr };
                raw = Libbpf.bpf_object__open_mem(buffer, (nuint)elf.Length, &options);
            }
            if (raw == 0)
                throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.LoadFailed, $"libbpf could not open the BPF object '{name}'")
                    .WithLog(log);
            var obj = new BpfObject(new BpfObjectHandle(raw), name);
            obj.Log.AddRange(log.Lines);
            return obj;
        }

        internal BpfMap Map(string name)
        {
            nint map = Libbpf.bpf_object__find_map_by_name(_handle, name);
            if (map == 0)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"The BPF object '{Name}' has no map named '{name}'.");
            return new BpfMap(this, map);
        }

        internal BpfProgram Program(string name)
        {
            nint program = Libbpf.bpf_object__find_program_by_name(_handle, name);
            if (program == 0)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"The BPF object '{Name}' has no program named '{name}'.");
            return new BpfProgram(this, program);
        }

        internal IEnumerable<BpfProgram> Programs()
        {
            for (nint p = Libbpf.bpf_object__next_program(_handle, 0); p != 0; p = Libbpf.bpf_object__next_program(_handle, p))
                yield return new BpfProgram(this, p);
        }

        internal IEnumerable<BpfMap> Maps()
        {
            for (nint m = Libbpf.bpf_object__next_map(_handle, 0); m != 0; m = Libbpf.bpf_object__next_map(_handle, m))
                yield return new BpfMap(this, m);
        }

        /// <summary>The programs as they are set before load (which of them load).</summary>
        internal IEnumerable<BpfOpenProgram> OpenPrograms() => Programs().Select(p => new BpfOpenProgram(p));

        /// <summary>The maps as they are set before load (their sizes).</summary>
        internal IEnumerable<BpfOpenMap> OpenMaps() => Maps().Select(m => new BpfOpenMap(m));

        /// <summary>Writes a `const volatile` global of .rodata before load (how filters reach the kernel).</summary>
        internal void SetGlobal<T>(string name, T value) where T : unmanaged =>
            SetGlobal(name, MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

        internal void SetGlobal(string name, ReadOnlySpan<byte> value)
        {
            var section = Spec.Find<BtfSection>(".rodata") is { } id ? (BtfSection)Spec[id] : null;
            var variable = section?.Variables.FirstOrDefault(v => Spec[v.Type].Name == name);
            if (variable is not { } found)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"The BPF object '{Name}' has no read-only global named '{name}'.",
                    "Globals that can be set before load are declared `const volatile` in the program.");
            var (offset, size) = (found.Offset, found.Size);
            if (size != value.Length)
                throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"The global '{name}' of '{Name}' is {size} bytes, the value given is {value.Length}.");
            value.CopyTo(ReadOnlyData().Slice(offset, size));
        }

        /// <summary>libbpf's copy of .rodata, written in place before Load, which hands it to the kernel (frozen
        /// there); empty when the object has none.</summary>
        internal Span<byte> ReadOnlyData()
        {
            if (IsLoaded) throw new InvalidOperationException($"The read-only globals of '{Name}' are set before it is loaded.");
            nint map = Libbpf.bpf_object__find_map_by_name(_handle, ".rodata");
            if (map == 0) return Span<byte>.Empty;
            nuint length;
            byte* initial = (byte*)Libbpf.bpf_map__initial_value(map, &length);
            return initial == null ? Span<byte>.Empty : new Span<byte>(initial, (int)length);
        }

        /// <summary>Whether Load succeeded.</summary>
        internal bool IsLoaded { get; private set; }

        /// <summary>Loads every program into the kernel; a verifier rejection carries the verifier's log.</summary>
        internal void Load()
        {
            using var log = LibbpfLog.Capture();
            int rc = Libbpf.bpf_object__load(_handle);
            int errno = Errno.FromResult(rc);
            Log.AddRange(log.Lines);
            IsLoaded = rc == 0;
            if (rc == 0) return;
            string? verifierLog = log.VerifierLog();
            if (verifierLog is not null && errno != Errno.EPERM)
                throw new BpfException(BpfErrorKind.VerifierRejected,
                    $"The kernel's verifier rejected a program of '{Name}': {Errno.Describe(errno)}. The verifier's log is in the error details.",
                    "Read the last lines of the verifier log: they name the instruction and the reason.")
                { Detail = verifierLog, Errno = errno };
            throw ErrnoFailures.Exception(errno, BpfErrorKind.LoadFailed, $"Loading the BPF object '{Name}' failed").WithLog(log);
        }

        private static bool _canTrim = true;

        /// <summary>libbpf parses the kernel's BTF for a load (CO-RE relocations) and frees it, and glibc keeps
        /// what was freed in the process unless asked to return it: when a trace ends, the user's session goes
        /// back to its footprint (the benchmark's process at rest 105 -> 95 MB, its flood's peak ~148 -> ~115 MB).</summary>
        private static void ReturnFreedHeap()
        {
            if (!_canTrim) return;
            try { Libc.malloc_trim(0); }
            catch (EntryPointNotFoundException) { _canTrim = false; }
        }

        /// <summary>Attaches one program where its SEC() name says; the link lives as long as this object.</summary>
        internal BpfLink Attach(BpfProgram program) =>
            Attach(program, $"{program.SectionName}", () => Libbpf.bpf_program__attach(program.Pointer));

        /// <summary>Attaches a program to the tracepoint CATEGORY:NAME; one program may serve many, telling
        /// them apart by <paramref name="cookie"/> (bpf_get_attach_cookie, kernel 5.15+).</summary>
        internal BpfLink AttachTracepoint(BpfProgram program, string category, string name, ulong cookie = 0) =>
            Attach(program, $"tracepoint {category}:{name}", () =>
            {
                var options = new TracepointOptions { Size = (nuint)sizeof(TracepointOptions), Cookie = cookie };
                return Libbpf.bpf_program__attach_tracepoint_opts(program.Pointer, category, name, &options);
            });

        /// <summary>Attaches a kprobe (or kretprobe) program to a kernel function.</summary>
        internal BpfLink AttachKprobe(BpfProgram program, string function, bool returnProbe) =>
            Attach(program, $"{(returnProbe ? "kretprobe" : "kprobe")} {function}",
                () => Libbpf.bpf_program__attach_kprobe(program.Pointer, returnProbe, function));

        /// <summary>Attaches a kprobe program as a uprobe (or uretprobe) at <paramref name="offset"/> in an ELF file, in
        /// process <paramref name="pid"/> or, with -1, in every process that maps the file.</summary>
        internal BpfLink AttachUprobe(BpfProgram program, string path, ulong offset, bool returnProbe, int pid = -1, ulong cookie = 0) =>
            Attach(program, $"{(returnProbe ? "uretprobe" : "uprobe")} {path}+0x{offset:x}", () =>
            {
                var options = new UprobeOptions { Size = (nuint)sizeof(UprobeOptions), Cookie = cookie, ReturnProbe = returnProbe ? (byte)1 : (byte)0 };
                return Libbpf.bpf_program__attach_uprobe_opts(program.Pointer, pid, path, (nuint)offset, &options);
            });

        /// <summary>Attaches a perf_event program to an open perf event: the link owns the event's fd from then on (libbpf
        /// disables and closes it with the link); should attaching fail, it is closed here.</summary>
        internal BpfLink AttachPerfEvent(BpfProgram program, int perfEventFd, string where)
        {
            try
            {
                return Attach(program, where, () => Libbpf.bpf_program__attach_perf_event(program.Pointer, perfEventFd), perfEventFd);
            }
            catch
            {
                Libc.close(perfEventFd);
                throw;
            }
        }

        /// <summary>Attaches a program of a cgroup type (cgroup_skb, cgroup/connect4, sockops...) to the cgroup v2
        /// directory open at <paramref name="cgroupFd"/>, at the attach type its section gave it.</summary>
        internal BpfLink AttachCgroup(BpfProgram program, int cgroupFd, string cgroupPath) =>
            Attach(program, $"the cgroup {cgroupPath}", () => Libbpf.bpf_program__attach_cgroup(program.Pointer, cgroupFd));

        /// <summary>Attaches an XDP program to an interface through a link (kernel 5.9+): gone with the link.</summary>
        internal BpfLink AttachXdp(BpfProgram program, int ifindex, string interfaceName) =>
            Attach(program, $"XDP of {interfaceName}", () => Libbpf.bpf_program__attach_xdp(program.Pointer, ifindex));

        /// <summary>Attaches a tc program to an interface's tcx hook (kernel 6.6+), after the programs already
        /// there. libbpf 1.1 has no call for it, so the link is created by bpf(BPF_LINK_CREATE) and held by its fd.</summary>
        internal BpfLink AttachTcx(BpfProgram program, int ifindex, bool egress, string interfaceName) =>
            Attach(program, $"tcx {(egress ? "egress" : "ingress")} of {interfaceName}", () =>
            {
                int fd = Libbpf.bpf_link_create(program.Fd, ifindex, egress ? Libbpf.BPF_TCX_EGRESS : Libbpf.BPF_TCX_INGRESS, null);
                return fd < 0 ? (null, Errno.FromResult(fd)) : (new FileDescriptorHandle(fd), 0);
            });

        /// <summary>Attaches a sk_msg or sk_skb program to a sockmap or sockhash of this object by bpf_prog_attach: a
        /// link for a socket map needs 6.10, this works from 4.14 on. The map holds the program until it is detached.</summary>
        internal BpfLink AttachSocketMap(BpfProgram program, BpfMap map, uint attachType) =>
            Attach(program, $"the socket map {map.Name}", () =>
            {
                int rc = Libbpf.bpf_prog_attach(program.Fd, map.Fd, attachType, 0);
                return rc < 0 ? (null, Errno.FromResult(rc))
                    : (new NonLinkHandle(new SocketMapAttachment(program.Name, map.Name, attachType), program.Fd, map.Fd), 0);
            });

        /// <summary>Attaches a tc program as a direct-action filter on the interface's clsact qdisc (made when it is
        /// missing, and left when the filter goes: see <see cref="TcFilterAttachment"/>), where there is no tcx.
        /// The kernel chooses the filter's handle and priority; the attachment keeps them to delete it by.</summary>
        internal unsafe BpfLink AttachTcFilter(BpfProgram program, int ifindex, bool egress, string interfaceName, ulong networkNamespace) =>
            Attach(program, $"tc {(egress ? "egress" : "ingress")} of {interfaceName} (clsact)", () =>
            {
                var hook = TcFilterAttachment.Hook(ifindex, egress);
                int rc = Libbpf.bpf_tc_hook_create(&hook);
                if (rc < 0 && Errno.FromResult(rc) != Errno.EEXIST) return (null, Errno.FromResult(rc));
                var options = new BpfTcOptions { Size = (nuint)sizeof(BpfTcOptions), ProgramFd = program.Fd };
                rc = Libbpf.bpf_tc_attach(&hook, &options);
                if (rc < 0) return (null, Errno.FromResult(rc));
                var filter = new TcFilterAttachment(program.Name, interfaceName, ifindex, egress, options.Handle, options.Priority,
                    options.ProgramId, networkNamespace);
                return (new NonLinkHandle(filter, program.Fd), 0);
            });

        private BpfLink Attach(BpfProgram program, string where, Func<nint> attach, int eventFd = -1) =>
            Attach(program, where, () =>
            {
                nint link = attach();
                return link == 0 ? (null, Errno.Last) : (new BpfLinkHandle(link), 0);
            }, eventFd);

        private BpfLink Attach(BpfProgram program, string where, Func<(SafeHandle? Link, int Errno)> attach, int eventFd = -1)
        {
            using var log = LibbpfLog.Capture();
            var (link, errno) = attach();
            Log.AddRange(log.Lines);
            if (link is null)
                throw ErrnoFailures.Exception(errno, BpfErrorKind.AttachFailed,
                    $"Attaching '{program.Name}' of '{Name}' to {where} failed", AttachHint(errno, where)).WithLog(log);
            var result = new BpfLink(link, program.Name, where) { EventFd = eventFd };
            _links.Add(result);
            return result;
        }

        /// <summary>A tracepoint's attachment reads its id in tracefs: refused there, root is what is missing, not a
        /// capability.</summary>
        private static string? AttachHint(int errno, string where) =>
            errno == Errno.EACCES && (where.StartsWith("tracepoint", StringComparison.Ordinal) || where.StartsWith("tp/", StringComparison.Ordinal))
            && KernelSupport.TraceFsClosed()
                ? "Attaching to a tracepoint reads its id in tracefs, which only root may enter. " + KernelSupport.TraceFsRootHint
                : null;

        /// <summary>Attaches every loaded program that is not attached yet where its SEC() name says.</summary>
        /// <param name="progress">Cancels between two attachments (the caller detaches what was attached).</param>
        /// <param name="attach">How to attach one program (by default where its SEC() name says); null leaves it loaded
        /// but unattached (a tail call's target).</param>
        internal void AttachAll(AttachProgress? progress = null, Func<BpfProgram, BpfLink?>? attach = null)
        {
            attach ??= Attach;
            var pending = Programs().Where(p => p.Fd >= 0 && !_links.Exists(l => l.ProgramName == p.Name)).ToList();
            for (int i = 0; i < pending.Count; i++)
            {
                progress?.Step(i, pending.Count, pending[i].Name);
                attach(pending[i]);
            }
        }

        /// <summary>Links closed by one thread of <see cref="Detach"/>, and the most threads it starts.</summary>
        private const int LinksPerDetachThread = 8, MaxDetachThreads = 64;

        /// <summary>Detaches every link. Closing a tracepoint's link waits in the kernel for RCU grace periods
        /// twice: once in perf_event_detach_bpf_prog, and once in perf_trace_event_unreg, under the kernel's
        /// event_mutex; some 75 ms a tracepoint on a 2-CPU VM. Closing many links from several threads overlaps
        /// the first waits (28 tracepoints: 1.1-1.3 s instead of 2.0-2.5 s); the second stay one after another,
        /// so detaching thousands of tracepoints ('*:*') still takes minutes.</summary>
        private void Detach()
        {
            int threads = Math.Min(MaxDetachThreads, _links.Count / LinksPerDetachThread);
            int next = -1;
            void Work()
            {
                for (int i; (i = Interlocked.Increment(ref next)) < _links.Count;) _links[i].Dispose();
            }
            var started = new List<Thread>();
            for (int i = 1; i < threads; i++)
            {
                var thread = new Thread(Work, maxStackSize: 256 * 1024) { IsBackground = true, Name = "EbpfPS detach" };
                thread.Start();
                started.Add(thread);
            }
            Work();
            foreach (var thread in started) thread.Join();
        }

        /// <summary>The object's own BTF (struct btf*), owned by the object.</summary>
        internal nint Btf => Libbpf.bpf_object__btf(_handle);

        /// <summary>The object's BTF, with the places libbpf gave its globals when it opened the object.</summary>
        internal BtfSpec Spec => _spec ??= BtfLoader.FromLibbpf(Btf);

        private BtfSpec? _spec;

        public void Dispose()
        {
            Detach();
            _links.Clear();
            _handle.Dispose();
            ReturnFreedHeap();
        }
    }

    internal static class BpfExceptionLog
    {
        /// <summary>Keeps libbpf's lines of a failed step as the error's detail.</summary>
        internal static BpfException WithLog(this BpfException e, LibbpfLog.Scope log)
        {
            if (e.Detail is not null || log.Lines.Count == 0) return e;
            var text = new StringBuilder();
            foreach (var line in log.Lines) text.Append(line.Text);
            return new BpfException(e.Kind, e.Message, e.Hint, e.InnerException) { Detail = text.ToString().TrimEnd(), Errno = e.Errno, ErrorId = e.ErrorId };
        }
    }
}
