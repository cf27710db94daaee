using System;
using System.Collections.Generic;
using System.Linq;

namespace EbpfPS
{
    /// <summary>A stack's frames, innermost first ($e.KernelStack[0] is where it happened), which as text (Export-Csv,
    /// $e.KernelStack.ToString()) is the stack folded as flame graph tools read it, outermost function first:
    /// "main;work;do_syscall_64_[k]".</summary>
    public sealed class BpfStack : BpfList<BpfStackFrame>
    {
        internal static readonly BpfStack None = new(Array.Empty<BpfStackFrame>());

        public BpfStack(IList<BpfStackFrame> innermostFirst) : base(innermostFirst) { }

        public override string ToString() => Fold(this);

        /// <summary>Frames innermost first, folded: outermost first, joined by ';' (kernel frames marked _[k], JIT-compiled
        /// ones _[j]).</summary>
        internal static string Fold(IEnumerable<BpfStackFrame> innermostFirst) =>
            string.Join(';', innermostFirst.Reverse().Select(f => f.FoldedName));
    }
}
