using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Runtime.InteropServices;
using System;
using EbpfPS.Bpf;
using EbpfPS.Core.Btf;
using EbpfPS.Core.Objects;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using EbpfPS.Probes.Aggregation;

namespace EbpfPS.Probes.KernelFunctions
{
    /// <summary>bpf/kfunc.bpf.c on one kernel function: its kprobe pair or its fentry/fexit pair.</summary>
    internal sealed unsafe class KernelFunctionProbe : TaskProbe<BpfKernelFunctionEvent, KfuncSkeleton.Open, KfuncSkeleton>
    {
        private readonly string _function;
        private readonly BtfFunction? _prototype;
        private readonly KernelFunctionMethod _method;
        private readonly byte _strings;
        private readonly StackCapture? _stacks;

        private KernelFunctionProbe(string function, BtfFunction? prototype, KernelFunctionMethod method, bool withReturn,
            TaskFilter filter, EventDelivery? delivery, AggregationPlan? measure, AttachProgress? progress, BpfStackKind stacks)
            : base(filter, measure, excludeSelf: true,
                beforeLoad: skeleton =>
                {
                    StackCapture.Configure(skeleton, stacks);
                    skeleton.WithReturn = withReturn;
                    // only `const char *`s: a plain `char *` may be a buffer the function is yet to fill
                    skeleton.StringArgs = CallRecords.StringArguments(prototype, constOnly: true);
                    bool kprobe = method == KernelFunctionMethod.Kprobe;
                    skeleton.Kprobe.SetAutoload(kprobe);
                    skeleton.Kretprobe.SetAutoload(kprobe && withReturn);
                    // Of the fentry and fexit programs, the pair for this function's arguments loads, or none.
                    var (entry, exit) = kprobe ? default : FentryPrograms(prototype!.Parameters.Count);
                    foreach (string program in Entries.Concat(Exits))
                        skeleton.Program(program).SetAutoload(program == entry || (withReturn && program == exit));
                    if (!kprobe)
                    {
                        skeleton.Program(entry!).SetAttachTarget(function);
                        skeleton.Program(exit!).SetAttachTarget(function);
                    }
                },
                attach: skeleton =>
                {
                    var obj = skeleton.Object;
                    if (method == KernelFunctionMethod.Kprobe)
                    {
                        obj.AttachKprobe(skeleton.Kprobe, function, returnProbe: false);
                        progress?.ThrowIfCancelled();
                        if (withReturn) obj.AttachKprobe(skeleton.Kretprobe, function, returnProbe: true);
                    }
                    else
                    {
                        var (entry, exit) = FentryPrograms(prototype!.Parameters.Count);
                        obj.Attach(obj.Program(entry));
                        progress?.ThrowIfCancelled();
                        if (withReturn) obj.Attach(obj.Program(exit));
                    }
                },
                delivery: delivery, progress: progress)
        {
            _function = function;
            _prototype = prototype;
            _method = method;
            _strings = CallRecords.StringArguments(prototype, constOnly: true);
            _stacks = StackCapture.For(Skeleton, stacks);
        }

        internal KernelFunctionMethod Method => _method;

        /// <summary>fentry and fexit programs by the count of arguments they read (bpf/kfunc.bpf.c): the kernel lets
        /// a program read only as many as the function has, and then its return value. By name, as the open object
        /// chooses them and the loaded one attaches them.</summary>
        private static readonly string[] Entries =
        {
            KfuncSkeleton.Names.Fentry0, KfuncSkeleton.Names.Fentry1, KfuncSkeleton.Names.Fentry2, KfuncSkeleton.Names.Fentry3,
            KfuncSkeleton.Names.Fentry4, KfuncSkeleton.Names.Fentry5, KfuncSkeleton.Names.Fentry6,
        };

        private static readonly string[] Exits =
        {
            KfuncSkeleton.Names.Fexit0, KfuncSkeleton.Names.Fexit1, KfuncSkeleton.Names.Fexit2, KfuncSkeleton.Names.Fexit3,
            KfuncSkeleton.Names.Fexit4, KfuncSkeleton.Names.Fexit5, KfuncSkeleton.Names.Fexit6, KfuncSkeleton.Names.Fexit7,
            KfuncSkeleton.Names.Fexit8, KfuncSkeleton.Names.Fexit9, KfuncSkeleton.Names.Fexit10, KfuncSkeleton.Names.Fexit11,
            KfuncSkeleton.Names.Fexit12,
        };

        /// <summary>The fentry and fexit programs, which a probe that hooks by kprobe (or uprobe) leaves out.</summary>
        internal static IEnumerable<string> TrampolinePrograms => Entries.Concat(Exits);

        /// <summary>The pair for a function of <paramref name="count"/> arguments; beyond the last entry program's, the
        /// entry reads the first ones.</summary>
        private static (string Entry, string Exit) FentryPrograms(int count)
        {
            if (count >= Exits.Length)
                throw new BpfException(BpfErrorKind.NotSupported, $"A function of {count} arguments cannot be traced by fentry, which takes up to {Exits.Length - 1}.",
                    "Use -Method Kprobe on a kernel with CONFIG_KPROBES=y.") { ErrorId = BpfErrorIds.KernelFunctionTracingNotSupported };
            return (Entries[Math.Min(count, Entries.Length - 1)], Exits[count]);
        }

        /// <summary>Hooks <paramref name="function"/> with the method asked for; Auto takes kprobes where the kernel
        /// has them and fentry otherwise. Where nothing works the error names what the kernel lacks.</summary>
        /// <param name="measure">Counts in the kernel as the plan says (Measure-BpfTrace) instead of sending records.</param>
        /// <param name="stacks">The stacks each call's event carries, taken at its entry.</param>
        internal static KernelFunctionProbe Open(string function, KernelFunctionMethod method, bool withReturn, TaskFilter filter,
            EventDelivery? delivery = null, AggregationPlan? measure = null, AttachProgress? progress = null, BpfStackKind stacks = BpfStackKind.None)
        {
            KernelSupport.DemandTracing();
            BtfFunction? prototype;
            prototype = KernelBtf.Load().Function(function);
            if (prototype is null && !Kallsyms.Read().Any(s => s.IsFunction && s.Name == function))
                throw new BpfException(BpfErrorKind.NotFound, $"The kernel has no function '{function}'.",
                    "Get-BpfKernelFunction -Name 'do_*' lists the functions that can be traced.") { ErrorId = BpfErrorIds.KernelFunctionNotFound };

            bool kprobes = KernelFunctionSupport.HasKprobes;
            if (method == KernelFunctionMethod.Kprobe || (method == KernelFunctionMethod.Auto && kprobes))
            {
                if (!kprobes) throw KernelFunctionSupport.NoKprobes();
                return new KernelFunctionProbe(function, prototype, KernelFunctionMethod.Kprobe, withReturn, filter, delivery, measure, progress, stacks);
            }
            if (prototype is null)
                throw new BpfException(BpfErrorKind.NotSupported,
                    $"'{function}' has no BTF prototype, which fentry needs{(kprobes ? "" : ", and this kernel has no kprobes")}.",
                    "Trace a function that BTF describes (Get-BpfKernelFunction shows which), or use a kernel with CONFIG_KPROBES=y.")
                { ErrorId = BpfErrorIds.KernelFunctionTracingNotSupported };
            try
            {
                return new KernelFunctionProbe(function, prototype, KernelFunctionMethod.Fentry, withReturn, filter, delivery, measure, progress, stacks);
            }
            catch (BpfException e) when (e.Kind != BpfErrorKind.VerifierRejected || method == KernelFunctionMethod.Auto)
            {
                throw KernelFunctionSupport.FentryFailed(function, e, kprobesMissing: !kprobes);
            }
        }

        protected override void OnRecord(ReadOnlySpan<byte> record, List<BpfKernelFunctionEvent> ready)
        {
            var r = CallRecords.Read(record);
            var arguments = CallRecords.Arguments(r, _prototype, _strings);
            bool returned = r.Kind == KfuncRecordKind.Return;
            var e = new BpfKernelFunctionEvent(arguments)
            {
                Timestamp = Clock.ToDateTime(r.TimestampNs),
                Function = _function,
                Method = _method,
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
