using System;

namespace EbpfPS
{
    /// <summary>One call of a function in a user-space program or library, caught by a uprobe (with -Return: joined
    /// with its return by a uretprobe).</summary>
    public sealed class BpfUserFunctionEvent : ITimestamped
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
        /// <summary>The first six argument registers (x86-64's rdi, rsi, rdx, rcx, r8, r9) as arg0 to arg5: a symbol
        /// tells no prototype, so how many the function takes and what they are is the caller's to know.</summary>
        public BpfArguments Arguments { get; set; }
        public string ArgumentText => Arguments.ToString();
        /// <summary>The return register (rax) as a signed number, with -Return; else empty.</summary>
        public long? ReturnValue { get; set; }
        /// <summary>Time from call to return (with -Return), else empty.</summary>
        public TimeSpan? Duration { get; set; }
        /// <summary>Duration in microseconds, for ConvertTo-Json and Export-Csv.</summary>
        public double? DurationMicroseconds => Duration?.TotalMicroseconds;
    }
}
