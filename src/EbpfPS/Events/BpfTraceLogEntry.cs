using System;

namespace EbpfPS
{
    /// <summary>One line of the kernel's trace log (tracefs trace_pipe): most often a bpf_printk() message.</summary>
    public sealed class BpfTraceLogEntry : ITimestamped
    {
        /// <summary>Local wall-clock time the kernel wrote the line, converted from the trace clock.</summary>
        public DateTime Timestamp { get; set; }

        /// <summary>The task name (comm) of the thread that was running; "&lt;idle&gt;" for the idle task.</summary>
        public string Command { get; set; } = "";

        /// <summary>The thread group id when the trace shows it (option record-tgid), else the same as ThreadId.</summary>
        public int ProcessId { get; set; }

        /// <summary>The running thread's id (the kernel's pid, printed after the task name).</summary>
        public int ThreadId { get; set; }

        public int Cpu { get; set; }

        /// <summary>The flags column as printed, e.g. "d.h1.".</summary>
        public string Flags { get; set; } = "";

        /// <summary>The flags in words, e.g. "irqs-off, hardirq, preempt-depth 1".</summary>
        public string FlagsDescription { get; set; } = "";

        /// <summary>The event or function that wrote the line: bpf_trace_printk for bpf_printk().</summary>
        public string Event { get; set; } = "";

        /// <summary>The text written; lines of a message with newlines are joined with "\n".</summary>
        public string Message { get; set; } = "";

        /// <summary>The line as trace_pipe printed it.</summary>
        public string Line { get; set; } = "";
    }
}
