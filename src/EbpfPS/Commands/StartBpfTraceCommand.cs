using System.Collections.Generic;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core.TraceFs;
using EbpfPS.Core;
using EbpfPS.Probes.Exec;
using EbpfPS.Probes.KernelFunctions;
using EbpfPS.Probes.UserFunctions;
using EbpfPS.Probes.Syscalls;
using EbpfPS.Probes.Tracepoints;
using EbpfPS.Probes.UserObjects;
using EbpfPS.Probes;

namespace EbpfPS.Commands
{
    /// <summary>The general tracer: tracepoints, syscalls, execs, kernel functions or the user's own object,
    /// streamed as typed objects.</summary>
    [Cmdlet(VerbsLifecycle.Start, "BpfTrace", DefaultParameterSetName = TracepointSet)]
    [OutputType(typeof(BpfTracepointEvent), ParameterSetName = new[] { TracepointSet })]
    [OutputType(typeof(BpfSyscallEvent), ParameterSetName = new[] { SyscallSet })]
    [OutputType(typeof(BpfExecEvent), ParameterSetName = new[] { ExecSet })]
    [OutputType(typeof(BpfKernelFunctionEvent), ParameterSetName = new[] { KernelFunctionSet })]
    [OutputType(typeof(BpfUserFunctionEvent), ParameterSetName = new[] { UserFunctionSet })]
    [OutputType(typeof(PSObject), ParameterSetName = new[] { PathSet })]
    public sealed class StartBpfTraceCommand : BpfProbeCommand<object>
    {
        private const string TracepointSet = "Tracepoint", SyscallSet = "Syscall", ExecSet = "Exec", KernelFunctionSet = "KernelFunction",
            UserFunctionSet = "UserFunction", PathSet = "Path";

        /// <summary>Tracepoints as CATEGORY:NAME, wildcards allowed (sock:inet_sock_set_state, sched:*).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TracepointSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TracepointCompleter))]
        public string[] Tracepoint { get; set; } = Array.Empty<string>();

        /// <summary>Syscalls by name, wildcards allowed (write, open*); entry and exit joined into one event.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SyscallSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SyscallCompleter))]
        public string[] Syscall { get; set; } = Array.Empty<string>();

        /// <summary>Only calls that returned an error (like opensnoop -x), chosen in the kernel.</summary>
        [Parameter(ParameterSetName = SyscallSet)]
        public SwitchParameter FailedOnly { get; set; }

        /// <summary>Copies the first bytes (up to 256) of the I/O buffer of read, write, sendto, recvfrom... into
        /// the event's Data, as many as the call moved, and shows them in ArgumentText the way strace does.</summary>
        [Parameter(ParameterSetName = SyscallSet)]
        [ValidateRange(1, 256)]
        public int CaptureBytes { get; set; }

        /// <summary>Every execve/execveat with its arguments and result, failed ones included.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ExecSet)]
        public SwitchParameter Exec { get; set; }

        /// <summary>A kernel function to trace (kprobe or fentry, whichever the kernel has).</summary>
        [Parameter(Mandatory = true, ParameterSetName = KernelFunctionSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KernelFunctionCompleter))]
        public string KernelFunction { get; set; } = "";

        /// <summary>A function of a user-space program or library as FILE:FUNCTION (/bin/bash:readline, libc:malloc),
        /// wildcards allowed in FUNCTION; traced with uprobes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = UserFunctionSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(UserFunctionCompleter))]
        public string UserFunction { get; set; } = "";

        /// <summary>The user function's arguments as C declares them, in order ('const char *path', 'int flags'; string
        /// and pointer for short), or its whole prototype ('char *readline(const char *prompt)'): they get those names and
        /// types, and a `char *`'s text is read along.</summary>
        [Parameter(ParameterSetName = UserFunctionSet)]
        [ValidateNotNullOrEmpty]
        public string[]? ArgumentType { get; set; }

        /// <summary>The stacks each event carries, as frames named once per unique stack: Kernel, User, or both.</summary>
        [Parameter(ParameterSetName = TracepointSet)]
        [Parameter(ParameterSetName = SyscallSet)]
        [Parameter(ParameterSetName = KernelFunctionSet)]
        [Parameter(ParameterSetName = UserFunctionSet)]
        public BpfStackKind Stack { get; set; }

        /// <summary>Also catch the return: return value and duration (kretprobe, fexit or uretprobe).</summary>
        [Parameter(ParameterSetName = KernelFunctionSet)]
        [Parameter(ParameterSetName = UserFunctionSet)]
        public SwitchParameter Return { get; set; }

        /// <summary>Kprobe or Fentry instead of the automatic choice.</summary>
        [Parameter(ParameterSetName = KernelFunctionSet)]
        public KernelFunctionMethod Method { get; set; }

        /// <summary>Your own compiled BPF object (clang -target bpf -g): its programs are attached where their
        /// SEC() names say and the records of its ring and perf buffers become objects.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Values for the object's `const volatile` globals, by name, set before load.</summary>
        [Parameter(ParameterSetName = PathSet)]
        public Hashtable? Set { get; set; }

        /// <summary>The network interface that the object's XDP and tc (tc/ingress, tc/egress) programs attach to.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(InterfaceCompleter))]
        public string? Interface { get; set; }

        /// <summary>Which traffic of -Interface the object's tc programs filter when their section does not say
        /// (SEC("tc"), SEC("classifier")); sections tc/ingress and tc/egress say it themselves.</summary>
        [Parameter(ParameterSetName = PathSet)]
        public BpfTcDirection Direction { get; set; }

        private BpfTcDirection? GivenDirection => MyInvocation.BoundParameters.ContainsKey(nameof(Direction)) ? Direction : null;
        private int? GivenFrequency => MyInvocation.BoundParameters.ContainsKey(nameof(Frequency)) ? Frequency : null;

        /// <summary>The sockmap or sockhash of the object that its sk_msg and sk_skb programs attach to; needed only when
        /// the object has several.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string? SocketMap { get; set; }
        /// <summary>Samples a second of the CPU clock events the object's perf_event programs are attached to, on each CPU.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [ValidateRange(1, 1_000_000)]
        public int Frequency { get; set; } = CpuClockEvents.DefaultFrequency;

        /// <summary>The CPUs whose clock events the object's perf_event programs sample (default: every online one).</summary>
        [Parameter(ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [ValidateRange(0, 8191)]
        public int[]? Cpu { get; set; }

        /// <summary>The struct the object's buffers carry (default: "event", or its one struct named *event).</summary>
        [Parameter(ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string? EventType { get; set; }

        /// <summary>Only events of these processes; the filter runs in the kernel. With -Path, one process id,
        /// written into the object's targ_tgid/targ_pid/target_pid global (the libbpf-tools convention).</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = TracepointSet)]
        [Parameter(ParameterSetName = SyscallSet)]
        [Parameter(ParameterSetName = ExecSet)]
        [Parameter(ParameterSetName = KernelFunctionSet)]
        [Parameter(ParameterSetName = UserFunctionSet)]
        [ValidateNotNullOrEmpty]
        [ValidateRange(1, int.MaxValue)]
        public int[]? ProcessId { get; set; }

        /// <summary>With -ProcessId: also the processes they have started, and those that they and their children
        /// start while the trace runs.</summary>
        [Parameter(ParameterSetName = TracepointSet)]
        [Parameter(ParameterSetName = SyscallSet)]
        [Parameter(ParameterSetName = ExecSet)]
        [Parameter(ParameterSetName = KernelFunctionSet)]
        [Parameter(ParameterSetName = UserFunctionSet)]
        public SwitchParameter IncludeChildren { get; set; }

        /// <summary>Only events of tasks running as these user ids (real uid); the filter runs in the kernel.</summary>
        [Parameter(ParameterSetName = TracepointSet)]
        [Parameter(ParameterSetName = SyscallSet)]
        [Parameter(ParameterSetName = ExecSet)]
        [Parameter(ParameterSetName = KernelFunctionSet)]
        [Parameter(ParameterSetName = UserFunctionSet)]
        [ValidateNotNullOrEmpty]
        [ValidateRange(0, int.MaxValue)]
        public int[]? UserId { get; set; }

        /// <summary>Only events whose Command is one of these names (bash) or starts with a prefix* (python*),
        /// case-insensitive; the filter runs in the kernel.</summary>
        [Parameter(ParameterSetName = TracepointSet)]
        [Parameter(ParameterSetName = SyscallSet)]
        [Parameter(ParameterSetName = ExecSet)]
        [Parameter(ParameterSetName = KernelFunctionSet)]
        [Parameter(ParameterSetName = UserFunctionSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CommandNameCompleter))]
        public string[]? Command { get; set; }

        /// <summary>Only events of tasks in this cgroup v2 or below it (a service, a container): a full path, or one
        /// relative to the cgroup v2 mount (system.slice/ssh.service). The filter runs in the kernel. With -Path: the
        /// cgroup v2 directory that the object's cgroup programs (cgroup_skb, cgroup/connect4, sockops...) attach to.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = TracepointSet)]
        [Parameter(ParameterSetName = SyscallSet)]
        [Parameter(ParameterSetName = ExecSet)]
        [Parameter(ParameterSetName = KernelFunctionSet)]
        [Parameter(ParameterSetName = UserFunctionSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CgroupCompleter))]
        public string? Cgroup { get; set; }

        protected override string Activity => ParameterSetName switch
        {
            TracepointSet => $"Tracing {string.Join(", ", Tracepoint)}",
            SyscallSet => $"Tracing syscalls {string.Join(", ", Syscall)}",
            ExecSet => "Tracing execs",
            KernelFunctionSet => $"Tracing {KernelFunction}",
            UserFunctionSet => $"Tracing {UserFunction}",
            PathSet => $"Tracing {System.IO.Path.GetFileName(Path)}",
            _ => "Tracing",
        };

        private TaskFilter Filter() => TaskFilter.Create(ProcessId ?? Array.Empty<int>(), IncludeChildren, UserId ?? Array.Empty<int>(),
            Command ?? Array.Empty<string>(), Cgroup);

        private protected override IEventSource<object> OpenSource() => ParameterSetName switch
        {
            ExecSet => new ExecProbe(Filter(), Delivery, progress: Opening),
            KernelFunctionSet => KernelFunctionProbe.Open(KernelFunction, Method, Return, Filter(), Delivery, progress: Opening, stacks: Stack),
            UserFunctionSet => OpenUserFunctions(ProcessId is [int one] ? one : null),
            PathSet => new ProjectedEventSource<object?, object>(OpenUserObject(), ToObjectEvent),
            SyscallSet => new SyscallProbe(Probes.Syscalls.Syscall.Resolve(KernelSupport.DemandTraceFs(), Syscall), Filter(), Delivery, failedOnly: FailedOnly, captureBytes: CaptureBytes, progress: Opening, stacks: Stack),
            _ => OpenTracepoints(),
        };

        /// <param name="processId">The one process traced, whose mappings name its libraries and whose uprobes they are.</param>
        private UserFunctionProbe OpenUserFunctions(int? processId) => UserFunctionProbe.Open(UserFunctions.Resolve(UserFunction, processId),
            UserFunctionPrototype.Parse(ArgumentType, UserFunction), Return, Filter(), processId, IncludeChildren, Delivery, progress: Opening, stacks: Stack);

        private UserObjectProbe OpenUserObject()
        {
            var targets = AttachTargets.Resolve(Cgroup, Interface, SocketMap, GivenDirection, GivenFrequency, Cpu);
            var probe = new UserObjectProbe(GetUnresolvedProviderPathFromPSPath(Path), PSValues.Globals(Set), EventType,
                Delivery, resizeRingBuffers: BufferSizeGiven, processId: SingleProcessId(), progress: Opening, targets: targets, warn: WriteWarning);
            if (!probe.Object!.Programs().Any())
                WriteWarning($"'{Path}' holds no programs (no SEC(\"...\") functions): nothing is attached, so no events will come. " +
                             "Check that the object was compiled from the source you meant, and that its functions have SEC() names.");
            foreach (var unused in ProgramTargets.Unused(probe.Object, targets)) WriteWarning(unused);
            return probe;
        }

        private IEventSource<object> OpenTracepoints()
        {
            var selection = TracepointSelection.Resolve(KernelSupport.DemandTraceFs(), Tracepoint);
            var probe = new TracepointProbe(selection.Formats, Filter(), Delivery, selection.Skippable, Opening, stacks: Stack);
            if (probe.Skipped.Count > 0) WriteWarning(TracepointProbe.SkippedWarning(probe.Skipped, selection.Formats.Count, "traced"));
            return new ProjectedEventSource<BpfTracepointEvent, object>(probe, ToPSObject);
        }

        private int? SingleProcessId() => ProcessId switch
        {
            null => null,
            [int pid] => pid,
            _ => throw new BpfException(BpfErrorKind.InvalidArgument, "With -Path, -ProcessId takes one process id: an object's global holds one.",
                "Give one id, or filter further with Where-Object.") { ErrorId = BpfErrorIds.ProcessIdNotSingle },
        };

        /// <summary>A record of the user's object: its struct's fields as properties, or its bytes when no
        /// struct describes it.</summary>
        private static object ToObjectEvent(object? record)
        {
            var result = PSValues.ToPowerShell(record) as PSObject ?? new PSObject();
            if (record is byte[] bytes)
            {
                result.Properties.Add(new PSNoteProperty("Data", bytes));
                result.Properties.Add(new PSNoteProperty("Hex", Convert.ToHexString(bytes)));
            }
            result.TypeNames.Insert(0, "EbpfPS.BpfObjectEvent");
            return result;
        }

        /// <summary>The tracepoint's own fields become properties; the type name names the tracepoint so
        /// that a view can be written per tracepoint (EbpfPS.BpfTracepointEvent#sock:inet_sock_set_state).</summary>
        private static PSObject ToPSObject(BpfTracepointEvent e)
        {
            var result = PSObject.AsPSObject(e);
            foreach (var field in e.Fields)
            {
                string name = result.Properties[field.Name] is null ? field.Name : field.Name + "Field";
                result.Properties.Add(new PSNoteProperty(name, field.Value));
            }
            result.TypeNames.Insert(0, $"EbpfPS.BpfTracepointEvent#{e.Tracepoint}");
            return result;
        }
    }
}
