using System;
using System.Linq;

namespace EbpfPS
{
    /// <summary>How kernel functions are hooked.</summary>
    public enum KernelFunctionMethod
    {
        /// <summary>Kprobes where the kernel has them, else fentry/fexit.</summary>
        Auto,
        Kprobe,
        Fentry,
    }

    /// <summary>One call of a kernel function (with -Return: joined with its return).</summary>
    public sealed class BpfKernelFunctionEvent : ITimestamped, Probes.IStackedEvent
    {
        public BpfKernelFunctionEvent() : this(new BpfArguments()) { }

        /// <summary>For the decoder: the arguments it built, without an empty dictionary made first.</summary>
        internal BpfKernelFunctionEvent(BpfArguments arguments) => Arguments = arguments;

        public DateTime Timestamp { get; set; }
        public string Function { get; set; } = "";
        /// <summary>Kprobe or Fentry: how the call was caught.</summary>
        public KernelFunctionMethod Method { get; set; }
        public int ProcessId { get; set; }
        public int ThreadId { get; set; }
        public string Command { get; set; } = "";
        public int Cpu { get; set; }
        /// <summary>Arguments by the names and types of the function's BTF prototype (arg0... without BTF).</summary>
        public BpfArguments Arguments { get; set; }
        public string ArgumentText => Arguments.ToString();
        /// <summary>The return value as its type says (with -Return), else empty.</summary>
        public object? ReturnValue { get; set; }
        /// <summary>Time from call to return (with -Return), else empty.</summary>
        public TimeSpan? Duration { get; set; }
        /// <summary>Duration in microseconds: the number a reader of ConvertTo-Json or Export-Csv output uses
        /// (JSON writes a TimeSpan as an object of 15 fields).</summary>
        public double? DurationMicroseconds => Duration?.TotalMicroseconds;

        /// <summary>With -Stack Kernel: the kernel's stack where it happened, innermost frame first; else empty.</summary>
        public BpfStack KernelStack { get; set; } = BpfStack.None;
        /// <summary>With -Stack User: the program's stack, innermost frame first; else empty.</summary>
        public BpfStack UserStack { get; set; } = BpfStack.None;
        /// <summary>Both stacks folded as flame graph tools read them, outermost function first: "main;f;getppid;entry_SYSCALL_64_[k];...;__x64_sys_getppid_[k]".</summary>
        public string Stack => BpfStack.Fold(KernelStack.Concat(UserStack));
    }
}
