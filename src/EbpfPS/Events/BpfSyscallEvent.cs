using System;
using System.Linq;

namespace EbpfPS
{
    /// <summary>One syscall from entry to return, joined in the kernel.</summary>
    public sealed class BpfSyscallEvent : ITimestamped, Probes.IStackedEvent
    {
        public BpfSyscallEvent() : this(new BpfArguments()) { }

        /// <summary>For the decoder: the arguments it built, without an empty dictionary made first.</summary>
        internal BpfSyscallEvent(BpfArguments arguments) => Arguments = arguments;

        /// <summary>Wall-clock time of the entry.</summary>
        public DateTime Timestamp { get; set; }
        public string Syscall { get; set; } = "";
        public int ProcessId { get; set; }
        public int ThreadId { get; set; }
        public string Command { get; set; } = "";
        public int Cpu { get; set; }
        /// <summary>Arguments by the names of the syscall's format (fd, buf, count...), as numbers for filters;
        /// a `const char *` argument holds the string the caller passed. As text: <see cref="ArgumentText"/>.</summary>
        public BpfArguments Arguments { get; set; }
        /// <summary>The arguments as text, well-known numbers by name: fd=1, buf=0x7ffd..., count=12;
        /// flags=O_RDONLY|O_CLOEXEC.</summary>
        public string ArgumentText => Arguments.ToString();
        /// <summary>With -CaptureBytes: the first bytes of the I/O buffer (of read, write, sendto, recvfrom...),
        /// as many as the call moved up to that number (as text: hex); null for calls without a buffer or that moved nothing.</summary>
        public BpfBytes? Data { get; set; }
        public long ReturnValue { get; set; }
        /// <summary>The errno name when the syscall failed (ReturnValue is -errno), else empty.</summary>
        public string ErrorName { get; set; } = "";
        public TimeSpan Duration { get; set; }
        /// <summary>Duration in microseconds: the number a reader of ConvertTo-Json or Export-Csv output uses
        /// (JSON writes a TimeSpan as an object of 15 fields).</summary>
        public double DurationMicroseconds => Duration.TotalMicroseconds;

        /// <summary>With -Stack Kernel: the kernel's stack where it happened, innermost frame first; else empty.</summary>
        public BpfStack KernelStack { get; set; } = BpfStack.None;
        /// <summary>With -Stack User: the program's stack, innermost frame first; else empty.</summary>
        public BpfStack UserStack { get; set; } = BpfStack.None;
        /// <summary>Both stacks folded as flame graph tools read them, outermost function first: "main;f;getppid;entry_SYSCALL_64_[k];...;__x64_sys_getppid_[k]".</summary>
        public string Stack => BpfStack.Fold(KernelStack.Concat(UserStack));
    }
}
