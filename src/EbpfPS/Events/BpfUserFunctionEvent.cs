using System;
using System.Linq;

namespace EbpfPS
{
    /// <summary>One call of a function in a user-space program or library, caught by a uprobe (with -Return: joined
    /// with its return by a uretprobe).</summary>
    public sealed class BpfUserFunctionEvent : ITimestamped, Probes.IStackedEvent
    {
        public BpfUserFunctionEvent() : this(new BpfArguments()) { }

        internal BpfUserFunctionEvent(BpfArguments arguments) => Arguments = arguments;

        public DateTime Timestamp { get; set; }
        /// <summary>The function's symbol.</summary>
        public string Function { get; set; } = "";
        /// <summary>The program or library it is in.</summary>
        public string Path { get; set; } = "";
        public int ProcessId { get; set; }
        public int ThreadId { get; set; }
        public string Command { get; set; } = "";
        public int Cpu { get; set; }
        /// <summary>The arguments as -ArgumentType declares them (strings for `char *`s), by their names there; without it the
        /// six argument registers (x86-64's rdi, rsi, rdx, rcx, r8, r9) as arg0 to arg5, for a symbol tells no prototype.</summary>
        public BpfArguments Arguments { get; set; }
        public string ArgumentText => Arguments.ToString();
        /// <summary>With -Return, the return register (rax): a signed number, or as -ArgumentType's prototype types it (a
        /// `char *`'s string); else empty.</summary>
        public object? ReturnValue { get; set; }
        /// <summary>Time from call to return (with -Return), else empty.</summary>
        public TimeSpan? Duration { get; set; }
        /// <summary>Duration in microseconds, for ConvertTo-Json and Export-Csv.</summary>
        public double? DurationMicroseconds => Duration?.TotalMicroseconds;

        /// <summary>With -Stack Kernel: the kernel's stack where it happened, innermost frame first; else empty.</summary>
        public BpfStack KernelStack { get; set; } = BpfStack.None;
        /// <summary>With -Stack User: the program's stack, innermost frame first; else empty.</summary>
        public BpfStack UserStack { get; set; } = BpfStack.None;
        /// <summary>Both stacks folded as flame graph tools read them, outermost function first: "main;f;getppid;entry_SYSCALL_64_[k];...;__x64_sys_getppid_[k]".</summary>
        public string Stack => BpfStack.Fold(KernelStack.Concat(UserStack));
    }
}
