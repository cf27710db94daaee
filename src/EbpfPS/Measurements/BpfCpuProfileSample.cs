using System;
using System.Collections.Generic;
using System.Linq;

namespace EbpfPS
{
    /// <summary>What Get-BpfCpuProfile counted for one stack of one process and command: how many samples found the CPU
    /// there, and the stack's frames. Samples whose stacks differ only in where inside the same functions they were are
    /// one object, as a flame graph draws them; its frames' addresses are those of the most frequent of them.</summary>
    public sealed class BpfCpuProfileSample
    {
        public int ProcessId { get; set; }
        /// <summary>The sampled thread's name (comm).</summary>
        public string Command { get; set; } = "";
        /// <summary>Samples that found this stack on a CPU.</summary>
        public long Count { get; set; }
        /// <summary>Count as a fraction of every sample the profile counted, 0 to 1 (the table shows it as a percentage).</summary>
        public double Share { get; set; }
        /// <summary>The kernel part of the stack, innermost frame first; empty when the sample found the task in user space.</summary>
        public BpfStack KernelFrames { get; set; } = BpfStack.None;
        /// <summary>The user part, innermost frame first; empty for kernel threads.</summary>
        public BpfStack UserFrames { get; set; } = BpfStack.None;
        /// <summary>The whole stack, innermost frame first: the kernel frames, then the user frames (as bpftrace prints kstack, ustack).</summary>
        public BpfStack Frames => new(KernelFrames.Concat(UserFrames).ToArray());
        /// <summary>The innermost frame: the function the CPU was in; null when no stack could be read.</summary>
        public BpfStackFrame? TopFrame => KernelFrames.Count > 0 ? KernelFrames[0] : UserFrames.Count > 0 ? UserFrames[0] : null;
        /// <summary>The stack folded as flame graph tools read it, outermost function first: "main;work;spin" (kernel
        /// frames marked _[k], JIT-compiled ones _[j]). Export-BpfFlameGraph puts the command before it.</summary>
        public string Stack { get; set; } = "";
        /// <summary>Why part of the stack is missing, if it is: "kernel stack lost (map collision)", "user stack unreadable".</summary>
        public string Note { get; set; } = "";

        public override string ToString() => $"{Count} {Command} {Stack}";
    }
}
