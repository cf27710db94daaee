using System;
using System.Collections.Generic;
using EbpfPS.Bpf;
using EbpfPS.Core;
using EbpfPS.Core.Btf;
using EbpfPS.Core.Objects;
using EbpfPS.Introspection.Features;
using EbpfPS.Core.Pipeline;
using EbpfPS.Probes.Aggregation;
using EbpfPS.Probes.KernelFunctions;

namespace EbpfPS.Probes.UserFunctions
{
    /// <summary>bpf/kfunc.bpf.c's kprobe pair on user functions, as uprobes and uretprobes: one pair of links per
    /// function, each link's cookie the function's index where the kernel has cookies (several functions need them).</summary>
    internal sealed class UserFunctionProbe : TaskProbe<BpfUserFunctionEvent, KfuncSkeleton.Open, KfuncSkeleton>
    {
        private readonly IReadOnlyList<UserFunction> _functions;
        private readonly BtfFunction? _prototype;
        private readonly byte _strings;
        private readonly StackCapture? _stacks;

        private UserFunctionProbe(IReadOnlyList<UserFunction> functions, BtfFunction? prototype, bool withReturn, TaskFilter filter, int attachPid,
            EventDelivery? delivery, AggregationPlan? measure, AttachProgress? progress, BpfStackKind stacks)
            : base(filter, measure, excludeSelf: true,
                beforeLoad: skeleton =>
                {
                    StackCapture.Configure(skeleton, stacks);
                    skeleton.WithReturn = withReturn;
                    skeleton.WithCookie = functions.Count > 1;
                    skeleton.StringArgs = CallRecords.StringArguments(prototype);
                    // uprobes are kprobe programs: the kprobe pair loads, the fentry/fexit ones stay out
                    skeleton.Kprobe.SetAutoload(true);
                    skeleton.Kretprobe.SetAutoload(withReturn);
                    foreach (string program in KernelFunctionProbe.TrampolinePrograms) skeleton.Program(program).SetAutoload(false);
                },
                attach: skeleton =>
                {
                    for (int i = 0; i < functions.Count; i++)
                    {
                        var f = functions[i];
                        progress?.ThrowIfCancelled();
                        skeleton.Object.AttachUprobe(skeleton.Kprobe, f.Path, f.Offset, returnProbe: false, attachPid, cookie: (ulong)i);
                        if (withReturn) skeleton.Object.AttachUprobe(skeleton.Kretprobe, f.Path, f.Offset, returnProbe: true, attachPid, cookie: (ulong)i);
                    }
                },
                delivery: delivery, progress: progress)
        {
            _functions = functions;
            _prototype = prototype;
            _strings = CallRecords.StringArguments(prototype);
            _stacks = StackCapture.For(Skeleton, stacks);
        }

        internal IReadOnlyList<UserFunction> Functions => _functions;

        /// <summary>Hooks the functions (<see cref="UserFunctions.Resolve"/>), their arguments typed by <paramref name="prototype"/>
        /// (<see cref="UserFunctionPrototype"/>) or else six registers. With one process id the uprobes are that process's
        /// alone, unless its children are traced too: they are other processes.</summary>
        internal static UserFunctionProbe Open(IReadOnlyList<UserFunction> functions, BtfFunction? prototype, bool withReturn, TaskFilter filter, int? processId,
            bool includeChildren, EventDelivery? delivery = null, AggregationPlan? measure = null, AttachProgress? progress = null,
            BpfStackKind stacks = BpfStackKind.None)
        {
            KernelSupport.DemandTracing();
            if (functions.Count > 1 && !KernelFeatures.HasCookies)
                throw new BpfException(BpfErrorKind.NotSupported,
                    $"{functions.Count} functions of {functions[0].Path} were matched; telling them apart in one trace needs BPF cookies, which this kernel lacks (5.15+).",
                    "Trace one function per command (a name without wildcards), or use a newer kernel; Get-BpfFeature -Name BpfCookies tells.")
                { ErrorId = BpfErrorIds.BpfFeatureNotSupported };
            return new UserFunctionProbe(functions, prototype, withReturn, filter, includeChildren ? -1 : processId ?? -1, delivery, measure, progress, stacks);
        }

        protected override unsafe void OnRecord(ReadOnlySpan<byte> record, List<BpfUserFunctionEvent> ready)
        {
            var r = CallRecords.Read(record);
            var function = _functions[(int)Math.Min(r.Cookie, (ulong)_functions.Count - 1)];
            var arguments = CallRecords.Arguments(r, _prototype, _strings);
            bool returned = r.Kind == KfuncRecordKind.Return;
            var e = new BpfUserFunctionEvent(arguments)
            {
                Timestamp = Clock.ToDateTime(r.TimestampNs),
                Function = function.Name,
                Path = function.Path,
                ProcessId = (int)r.Pid,
                ThreadId = (int)r.Tid,
                Command = Comms.Get(new ReadOnlySpan<byte>(r.Comm, KfuncRecord.CommLength)),
                Cpu = (int)r.Cpu,
                ReturnValue = returned ? CallRecords.ReturnValue(r, _prototype, _strings) : null,
                Duration = returned ? TimeSpan.FromTicks((long)r.DurationNs / 100) : null,
            };
            _stacks?.Fill(e, e.ProcessId, r.KernelStack, r.UserStack);
            ready.Add(e);
        }
    }
}
