using EbpfPS.Core;
using Xunit;

namespace EbpfPS.Tests.Support
{
    /// <summary>A test that loads real programs into this machine's kernel: it needs root, and skips
    /// saying so where the process does not have it.</summary>
    public sealed class KernelFactAttribute : FactAttribute
    {
        public KernelFactAttribute()
        {
            if (!Privileges.CanTrace(Privileges.EffectiveCapabilities()))
                Skip = "needs root (or CAP_BPF + CAP_PERFMON) to load BPF programs";
        }
    }
}
