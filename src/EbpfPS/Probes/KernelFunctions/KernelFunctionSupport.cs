using System.IO;
using System.Linq;
using EbpfPS.Core;

namespace EbpfPS.Probes.KernelFunctions
{
    /// <summary>What this kernel offers for hooking functions, found by looking, not by version.</summary>
    internal static class KernelFunctionSupport
    {
        /// <summary>The perf kprobe PMU (4.17+) or tracefs kprobe_events: CONFIG_KPROBES=y.</summary>
        internal static bool HasKprobes =>
            Directory.Exists("/sys/bus/event_source/devices/kprobe")
            || KernelSupport.TraceFsPaths.Any(p => File.Exists(Path.Combine(p, "kprobe_events")));

        internal static BpfException NoKprobes() => new(BpfErrorKind.NotSupported,
            "This kernel has no kprobes (it was built without CONFIG_KPROBES).",
            "Use -Method Fentry (or Auto), or a kernel with CONFIG_KPROBES=y.") { ErrorId = "KernelFunctionTracingNotSupported" };

        internal static BpfException FentryFailed(string function, BpfException cause, bool kprobesMissing) => new(BpfErrorKind.NotSupported,
            (kprobesMissing ? "Kernel functions cannot be traced on this kernel: it has no kprobes (CONFIG_KPROBES is not set) and " : "")
            + $"fentry on '{function}' failed: {cause.Message}",
            "fentry needs the BPF trampoline (CONFIG_BPF_JIT, CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS, kernel 5.5+) and no lockdown that forbids it; "
            + "kprobes need CONFIG_KPROBES=y. Trace a tracepoint instead where one exists (Get-BpfTracepoint).", cause)
        { ErrorId = "KernelFunctionTracingNotSupported", Errno = cause.Errno };

        /// <summary>Whether an fentry program loads and attaches here: the one reliable test (lockdown and
        /// missing trampolines show only then).</summary>
        internal static bool FentryWorks(string function = "do_unlinkat")
        {
            try
            {
                using var probe = KernelFunctionProbe.Open(function, EbpfPS.KernelFunctionMethod.Fentry, withReturn: false, System.Array.Empty<int>());
                return true;
            }
            catch (BpfException)
            {
                return false;
            }
        }
    }
}
