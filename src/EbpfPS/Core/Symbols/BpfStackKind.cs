using System;

namespace EbpfPS
{
    /// <summary>Which stacks -Stack takes with each event: the kernel's, the user program's, or both (-Stack Kernel, User).</summary>
    [Flags]
    public enum BpfStackKind
    {
        None = 0,
        Kernel = 1,
        User = 2,
    }
}
