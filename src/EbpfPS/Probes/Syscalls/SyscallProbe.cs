using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Runtime.InteropServices;
using System;
using EbpfPS.Bpf;
using EbpfPS.Introspection.Features;
using EbpfPS.Introspection.Maps;
using EbpfPS.Core.Objects;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using EbpfPS.Interop;
using EbpfPS.Probes.Aggregation;

namespace EbpfPS.Probes.Syscalls
{
    /// <summary>How the probe meets syscalls (bpf/syscall.bpf.c).</summary>
    internal enum SyscallHook
    {
        /// <summary>One tp_btf pair on the raw sys_enter/sys_exit tracepoints for every syscall whose number is
        /// known, where the kernel takes it (5.12+ with BTF); the perf tracepoints for the rest.</summary>
        Auto,
        /// <summary>The sys_enter_NAME/sys_exit_NAME perf tracepoints of each syscall.</summary>
        PerfTracepoints,
    }

    /// <summary>bpf/syscall.bpf.c on the chosen syscalls.</summary>
    internal sealed unsafe class SyscallProbe : TaskProbe<BpfSyscallEvent, SyscallSkeleton.Open, SyscallSkeleton>
    {
        private readonly Dictionary<int, Syscall> _byEnterId;
        private readonly StackCapture? _stacks;

        /// <param name="failedOnly">Only calls that returned an error, chosen in the kernel.</param>
        /// <param name="captureBytes">How many bytes of an I/O buffer to copy (up to 256), 0 for none.</param>
        /// <param name="progress">Cancels between two attachments and reports how far they are (the perf
        /// tracepoints take a pair per syscall).</param>
        /// <param name="measure">Counts in the kernel as the plan says (Measure-BpfTrace) instead of sending records.</param>
        /// <param name="stacks">The stacks each call's event carries, taken at its return.</param>
        internal SyscallProbe(IReadOnlyList<Syscall> syscalls, TaskFilter filter,
            EventDelivery? delivery = null, SyscallHook hook = SyscallHook.Auto, bool failedOnly = false, int captureBytes = 0,
            AttachProgress? progress = null, AggregationPlan? measure = null, BpfStackKind stacks = BpfStackKind.None)
            : this(syscalls, filter, delivery, failedOnly, captureBytes, hook == SyscallHook.Auto && KernelFeatures.RawSyscallTracepoints
                ? syscalls.Where(s => s.Number is >= 0 and < (int)SyscallSkeleton.ByNrMaxEntries).ToList()
                : new List<Syscall>(), progress ?? AttachProgress.None, measure, Cookies(syscalls), stacks)
        {
        }

        /// <summary>Whether the perf tracepoints' entries are told apart by cookie (5.15+) or, before, by the syscall
        /// number in their records, which every syscall of such a kernel has in the build's table.</summary>
        private static bool Cookies(IReadOnlyList<Syscall> syscalls)
        {
            if (KernelFeatures.HasCookies) return true;
            if (syscalls.FirstOrDefault(s => s.Number is null) is { } unknown)
                throw new BpfException(BpfErrorKind.NotSupported,
                    $"The syscall {unknown.Name} has no number known to this build, and this kernel has no BPF cookies (5.15) to tell it apart otherwise.",
                    "Get-BpfFeature -Name BpfCookies tells why; trace the syscalls this build knows.") { ErrorId = BpfErrorIds.BpfFeatureNotSupported };
            return false;
        }

        private SyscallProbe(IReadOnlyList<Syscall> syscalls, TaskFilter filter, EventDelivery? delivery, bool failedOnly,
            int captureBytes, List<Syscall> raw, AttachProgress progress, AggregationPlan? measure, bool cookies, BpfStackKind stacks)
            : base(filter, measure, excludeSelf: true,
                beforeLoad: skeleton =>
                {
                    StackCapture.Configure(skeleton, stacks);
                    bool exitOnly = ExitOnly(measure, raw, syscalls);
                    skeleton.ExitOnly = exitOnly;
                    skeleton.ByNumber = !cookies;
                    skeleton.FailedOnly = failedOnly;
                    skeleton.CaptureBytes = (uint)Math.Clamp(captureBytes, 0, SyscallRecord.DataLength);
                    bool anyRaw = raw.Count > 0, anyPerf = raw.Count < syscalls.Count;
                    skeleton.RawSysEnter.SetAutoload(anyRaw && !exitOnly);
                    skeleton.RawSysExit.SetAutoload(anyRaw);
                    skeleton.SysEnter.SetAutoload(anyPerf);
                    skeleton.SysExit.SetAutoload(anyPerf);
                    skeleton.Entries.SetAutocreate(anyRaw); // task storage: kernels before 5.11 have none
                    if (!anyPerf) skeleton.InFlight.SetMaxEntries(1); // unused: not 6 MB of kernel memory filled in at every start
                },
                afterLoad: skeleton =>
                {
                    foreach (var s in syscalls)
                    {
                        if (raw.Contains(s)) skeleton.ByNr.Update((uint)s.Number!.Value, s.Spec);
                        else skeleton.Syscalls.Update(cookies ? (uint)s.Enter.Id : (uint)s.Number!.Value, s.Spec);
                    }
                },
                attach: skeleton =>
                {
                    var obj = skeleton.Object;
                    if (raw.Count > 0)
                    {
                        if (!ExitOnly(measure, raw, syscalls)) obj.Attach(skeleton.RawSysEnter);
                        obj.Attach(skeleton.RawSysExit);
                    }
                    // An entry goes one way and its exit finds it there: raw exits look in task storage only.
                    var perf = syscalls.Except(raw).ToList();
                    for (int i = 0; i < perf.Count; i++)
                    {
                        var s = perf[i];
                        progress.Step(i, perf.Count, s.Name);
                        obj.AttachTracepoint(skeleton.SysEnter, "syscalls", s.Enter.Name, cookie: cookies ? (ulong)s.Enter.Id : 0);
                        obj.AttachTracepoint(skeleton.SysExit, "syscalls", s.Exit.Name);
                    }
                },
                delivery: delivery, progress: progress)
        {
            _byEnterId = syscalls.ToDictionary(s => s.Enter.Id);
            _stacks = StackCapture.For(Skeleton, stacks);
            RawSyscalls = raw.Select(s => s.Name).ToList();
        }

        /// <summary>Counting what the exit knows alone (the raw exit has the syscall's number): no entry program, and no
        /// task storage on the way.</summary>
        private static bool ExitOnly(AggregationPlan? measure, List<Syscall> raw, IReadOnlyList<Syscall> syscalls) =>
            measure is { NeedsEntry: false } && raw.Count == syscalls.Count;

        /// <summary>The syscalls met on the raw tracepoints; the others have their perf tracepoints.</summary>
        internal IReadOnlyList<string> RawSyscalls { get; }

        private static ReadOnlySpan<byte> CapturedData(in SyscallRecord r)
        {
            fixed (byte* data = r.Data) return new ReadOnlySpan<byte>(data, (int)Math.Min(r.DataLen, SyscallRecord.DataLength));
        }

        protected override void OnRecord(ReadOnlySpan<byte> record, List<BpfSyscallEvent> ready)
        {
            // The kernel sends the string's bytes only (bpf/syscall.bpf.c): the rest of the record stays zero.
            SyscallRecord r = default;
            record[..Math.Min(record.Length, sizeof(SyscallRecord))].CopyTo(new Span<byte>(&r, sizeof(SyscallRecord)));
            if (!_byEnterId.TryGetValue((int)r.EnterId, out var syscall)) return;
            int count = syscall.Arguments.Count;
            var arguments = new BpfArguments(count);
            if (count > 0)
            {
                var text = new string[count];
                for (int i = 0; i < count; i++)
                {
                    var field = syscall.Arguments[i];
                    object value;
                    if (i == syscall.StringArgument && r.DataLen > 0)
                        value = CStrings.Read(r.Data, SyscallRecord.DataLength);
                    else
                        value = Syscall.Value(field, r.Args[i]);
                    arguments.Add(field.Name, value);
                    text[i] = i == syscall.BufferArgument && r.DataLen > 0
                        ? $"{field.Name}={CStrings.Quote(CapturedData(r), truncated: r.Ret > r.DataLen)}"
                        : syscall.Text(i, value);
                }
                arguments.Text = string.Join(", ", text);
            }
            string command = Comms.Get(new ReadOnlySpan<byte>(r.Comm, SyscallRecord.CommLength));
            var e = new BpfSyscallEvent(arguments)
            {
                Timestamp = Clock.ToDateTime(r.EnterNs),
                Syscall = syscall.Name,
                ProcessId = (int)r.Pid,
                ThreadId = (int)r.Tid,
                Command = command,
                Cpu = (int)r.Cpu,
                Data = syscall.BufferArgument >= 0 && r.DataLen > 0 ? new BpfBytes(CapturedData(r).ToArray()) : null,
                ReturnValue = r.Ret,
                ErrorName = r.Ret < 0 && r.Ret >= -4095 ? Errno.Name((int)-r.Ret) : "",
                Duration = TimeSpan.FromTicks((long)(r.ExitNs - r.EnterNs) / 100),
            };
            _stacks?.Fill(e, e.ProcessId, r.KernelStack, r.UserStack);
            ready.Add(e);
        }
    }
}
