using EbpfPS.Core;
using EbpfPS.Probes.KernelFunctions;
using System.Runtime.CompilerServices;
using Xunit;

namespace EbpfPS.Tests.Support
{
    /// <summary>A test that loads real programs into this machine's kernel: it needs root, and skips
    /// saying so where the process does not have it.</summary>
    public sealed class KernelFactAttribute : FactAttribute
    {
        public KernelFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
            : base(sourceFilePath, sourceLineNumber) => Skip = KernelTests.SkipReason;

        /// <summary>Kernel features the test needs: it skips, naming them, where they are missing.</summary>
        public KernelFeature Requires
        {
            get => KernelFeature.None;
            set => Skip ??= KernelTests.MissingReason(value);
        }

        /// <summary>Kernel features that must be missing (for tests of the error that says so).</summary>
        public KernelFeature RequiresMissing
        {
            get => KernelFeature.None;
            set => Skip ??= KernelTests.PresentReason(value);
        }
    }

    /// <summary>A theory that loads real programs; see KernelFactAttribute.</summary>
    public sealed class KernelTheoryAttribute : TheoryAttribute
    {
        public KernelTheoryAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
            : base(sourceFilePath, sourceLineNumber) => Skip = KernelTests.SkipReason;
    }

    [System.Flags]
    public enum KernelFeature { None = 0, Kprobes = 1, Fentry = 2, Uprobes = 4 }

    internal static class KernelTests
    {
        internal static string? SkipReason => Privileges.CanTrace(Privileges.EffectiveCapabilities())
            ? null
            : "needs root (or CAP_BPF + CAP_PERFMON) to load BPF programs";

        private static readonly System.Lazy<KernelFeature> Present = new(() =>
            (KernelFunctionSupport.HasKprobes ? KernelFeature.Kprobes : 0)
            | (SkipReason is null && KernelFunctionSupport.FentryWorks() ? KernelFeature.Fentry : 0)
            | (System.IO.Directory.Exists("/sys/bus/event_source/devices/uprobe") ? KernelFeature.Uprobes : 0));

        internal static string? MissingReason(KernelFeature needed) => (needed & ~Present.Value) switch
        {
            KernelFeature.None => null,
            var missing => $"this kernel lacks {Describe(missing)}",
        };

        internal static string? PresentReason(KernelFeature absent) => (absent & Present.Value) switch
        {
            KernelFeature.None => null,
            var present => $"this kernel has {Describe(present)}, so the missing-feature error cannot be seen",
        };

        private static string Describe(KernelFeature features) => features switch
        {
            KernelFeature.Kprobes => "kprobes (CONFIG_KPROBES)",
            KernelFeature.Fentry => "working fentry (BPF trampoline; here it fails with EPERM)",
            KernelFeature.Uprobes => "uprobes (CONFIG_UPROBE_EVENTS)",
            _ => "kprobes (CONFIG_KPROBES) and working fentry",
        };
    }
}
