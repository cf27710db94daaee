using EbpfPS.Core;
using Xunit;

namespace EbpfPS.Tests.Support
{
    /// <summary>A test that loads real programs into this machine's kernel: it needs root, and skips
    /// saying so where the process does not have it.</summary>
    public sealed class KernelFactAttribute : FactAttribute
    {
        public KernelFactAttribute() => Skip = KernelTests.SkipReason;
    }

    /// <summary>A theory that loads real programs; see KernelFactAttribute.</summary>
    public sealed class KernelTheoryAttribute : TheoryAttribute
    {
        public KernelTheoryAttribute() => Skip = KernelTests.SkipReason;
    }

    internal static class KernelTests
    {
        internal static string? SkipReason => Privileges.CanTrace(Privileges.EffectiveCapabilities())
            ? null
            : "needs root (or CAP_BPF + CAP_PERFMON) to load BPF programs";
    }
}
