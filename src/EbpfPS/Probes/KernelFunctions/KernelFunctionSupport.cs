using EbpfPS.Core;
using EbpfPS.Introspection.Features;

namespace EbpfPS.Probes.KernelFunctions
{
    /// <summary>What this kernel offers for hooking functions, as KernelFeatures probes it (by looking and
    /// trying, not by version), and the errors that say what is missing.</summary>
    internal static class KernelFunctionSupport
    {
        internal static BpfFeature Kprobes() => KernelFeatures.Kprobes(KernelConfig.Read());

        internal static bool HasKprobes => Kprobes().Supported == true;

        /// <summary>Whether an fentry program loads and attaches here (lockdown and missing trampolines show only then).</summary>
        internal static bool FentryWorks() => KernelFeatures.Fentry(KernelConfig.Read()).Supported == true;

        internal static BpfException NoKprobes() => new(BpfErrorKind.NotSupported,
            $"Kprobes are not available: {Kprobes().Detail}",
            "Use -Method Fentry (or Auto), or a kernel with CONFIG_KPROBES=y.") { ErrorId = BpfErrorIds.KernelFunctionTracingNotSupported };

        internal static BpfException FentryFailed(string function, BpfException cause, bool kprobesMissing) => new(BpfErrorKind.NotSupported,
            (kprobesMissing ? $"Kernel functions cannot be traced on this kernel: it has no kprobes ({Kprobes().Detail}) and " : "")
            + $"fentry on '{function}' failed: {cause.Message}",
            "fentry needs the BPF trampoline (CONFIG_BPF_JIT, CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS) and bpf_get_func_arg (kernel 5.17+), and no lockdown that forbids it; "
            + "kprobes need CONFIG_KPROBES=y. Trace a tracepoint instead where one exists (Get-BpfTracepoint).", cause)
        { ErrorId = BpfErrorIds.KernelFunctionTracingNotSupported, Errno = cause.Errno };
    }
}
