using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Runtime.InteropServices;
using System;
using EbpfPS.Bpf;
using EbpfPS.Core.Btf;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using EbpfPS.Probes.Aggregation;

namespace EbpfPS.Probes.KernelFunctions
{
    /// <summary>bpf/kfunc.bpf.c on one kernel function: its kprobe pair or its fentry/fexit pair.</summary>
    internal sealed unsafe class KernelFunctionProbe : RingBufferProbe<BpfKernelFunctionEvent, KfuncSkeleton>
    {
        private readonly string _function;
        private readonly BtfFunction? _prototype;
        private readonly KernelFunctionMethod _method;

        private KernelFunctionProbe(string function, BtfFunction? prototype, KernelFunctionMethod method, bool withReturn,
            TaskFilter filter, EventDelivery? delivery, AggregationPlan? measure)
            : base(
                beforeLoad: skeleton =>
                {
                    filter.Configure(skeleton, excludeSelf: true);
                    measure?.Configure(skeleton);
                    skeleton.WithReturn = withReturn;
                    bool kprobe = method == KernelFunctionMethod.Kprobe;
                    skeleton.Kprobe.SetAutoload(kprobe);
                    skeleton.Kretprobe.SetAutoload(kprobe && withReturn);
                    skeleton.Fentry.SetAutoload(!kprobe);
                    skeleton.Fexit.SetAutoload(!kprobe && withReturn);
                    if (!kprobe)
                    {
                        skeleton.Fentry.SetAttachTarget(function);
                        skeleton.Fexit.SetAttachTarget(function);
                    }
                },
                afterLoad: filter.Fill,
                attach: skeleton =>
                {
                    var obj = skeleton.Object;
                    if (method == KernelFunctionMethod.Kprobe)
                    {
                        obj.AttachKprobe(skeleton.Kprobe, function, returnProbe: false);
                        if (withReturn) obj.AttachKprobe(skeleton.Kretprobe, function, returnProbe: true);
                    }
                    else
                    {
                        obj.Attach(skeleton.Fentry);
                        if (withReturn) obj.Attach(skeleton.Fexit);
                    }
                },
                delivery: delivery)
        {
            _function = function;
            _prototype = prototype;
            _method = method;
        }

        internal KernelFunctionMethod Method => _method;

        /// <summary>Hooks <paramref name="function"/> with the method asked for; Auto takes kprobes where the kernel
        /// has them and fentry otherwise. Where nothing works the error names what the kernel lacks.</summary>
        /// <param name="measure">Counts in the kernel as the plan says (Measure-BpfTrace) instead of sending records.</param>
        internal static KernelFunctionProbe Open(string function, KernelFunctionMethod method, bool withReturn, TaskFilter filter,
            EventDelivery? delivery = null, AggregationPlan? measure = null)
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
                return new KernelFunctionProbe(function, prototype, KernelFunctionMethod.Kprobe, withReturn, filter, delivery, measure);
            }
            if (prototype is null)
                throw new BpfException(BpfErrorKind.NotSupported,
                    $"'{function}' has no BTF prototype, which fentry needs{(kprobes ? "" : ", and this kernel has no kprobes")}.",
                    "Trace a function that BTF describes (Get-BpfKernelFunction shows which), or use a kernel with CONFIG_KPROBES=y.")
                { ErrorId = BpfErrorIds.KernelFunctionTracingNotSupported };
            try
            {
                return new KernelFunctionProbe(function, prototype, KernelFunctionMethod.Fentry, withReturn, filter, delivery, measure);
            }
            catch (BpfException e) when (e.Kind != BpfErrorKind.VerifierRejected || method == KernelFunctionMethod.Auto)
            {
                throw KernelFunctionSupport.FentryFailed(function, e, kprobesMissing: !kprobes);
            }
        }

        protected override void OnRecord(ReadOnlySpan<byte> record, List<BpfKernelFunctionEvent> ready)
        {
            var r = MemoryMarshal.Read<KfuncRecord>(record);
            var arguments = new BpfArguments();
            var text = new List<string>();
            int count = _prototype?.Parameters.Count ?? KfuncRecord.ArgsLength;
            for (int i = 0; i < Math.Min(count, KfuncRecord.ArgsLength); i++)
            {
                var parameter = _prototype?.Parameters[i];
                string name = string.IsNullOrEmpty(parameter?.Name) ? $"arg{i}" : parameter.Name;
                object value = parameter?.Type.Decode(r.Args[i]) ?? r.Args[i];
                arguments.Add(name, value);
                text.Add(parameter?.Type.Text(name, value) ?? $"{name}=0x{r.Args[i]:x}");
            }
            arguments.Text = string.Join(", ", text);
            bool returned = r.Kind == KfuncRecordKind.Return;
            ready.Add(new BpfKernelFunctionEvent(arguments)
            {
                Timestamp = Clock.ToDateTime(r.TimestampNs),
                Function = _function,
                Method = _method,
                ProcessId = (int)r.Pid,
                ThreadId = (int)r.Tid,
                Command = Comms.Get(new ReadOnlySpan<byte>(r.Comm, KfuncRecord.CommLength)),
                Cpu = (int)r.Cpu,
                ReturnValue = returned ? (_prototype?.ReturnType.Decode((ulong)r.Ret) ?? r.Ret) : null,
                Duration = returned ? TimeSpan.FromTicks((long)r.DurationNs / 100) : null,
            });
        }
    }
}
