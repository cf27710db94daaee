using System;
using System.Linq;
using EbpfPS.Probes.KernelFunctions;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>Start-BpfTrace -KernelFunction as a user runs it, forced to each method in turn and left to
    /// choose: do_unlinkat (kprobes) or do_rmdir (fentry) of a child that unlinks or removes a missing path
    /// over and over, with the dfd argument and the return value (-ENOENT). Functions only the child calls: a
    /// probe on a hot one (vfs_write) under emulation once locked up a guest's CPUs; and never fentry and a
    /// kprobe on one function (see KernelFunctionProbeTests). The child pauses 5 ms between calls: under
    /// QEMU's multi-threaded emulation, patching a function's entry while another vCPU runs it flat out
    /// crashed the 6.1 and 6.12 guests (a call to 0, an unknown int3).</summary>
    public sealed class KernelFunctionCmdletTests : IClassFixture<KernelLeakCheck>
    {
        private static void TraceCalls(string function, KernelFunctionMethod method, KernelFunctionMethod expected)
        {
            string call = function == "do_rmdir" ? "rmdir" : "unlink";
            using var unlinker = Child.Bash(
                $"exec /usr/bin/python3 -c 'import os, time\nwhile True:\n    try: os.{call}(\"/tmp/ebpfps-missing\")\n    except OSError: pass\n    time.sleep(0.005)'",
                "python3");
            var output = HostedModule.Run(
                $"Start-BpfTrace -KernelFunction {function} -Return -Method {method} -ProcessId {unlinker.Pid} -Count 2 -Duration 00:00:30",
                out var errors);

            Assert.Empty(errors);
            var events = output.Select(o => o.BaseObject).OfType<BpfKernelFunctionEvent>().ToList();
            Assert.Equal(2, events.Count);
            Assert.All(events, e =>
            {
                Assert.Equal(expected, e.Method);
                Assert.Equal(function, e.Function);
                Assert.Equal(unlinker.Pid, e.ProcessId);
                Assert.Equal("python3", e.Command);
                Assert.Equal(-100, e.Arguments["dfd"]); // AT_FDCWD, an int by BTF
                Assert.Equal(-2L, Convert.ToInt64(e.ReturnValue)); // -ENOENT, an int (a long in 5.10's do_unlinkat)
                Assert.NotNull(e.Duration);
            });
        }

        [KernelFact(Requires = KernelFeature.Kprobes)]
        public void Forced_to_kprobes_it_reports_do_unlinkat_with_its_argument_and_return() =>
            TraceCalls("do_unlinkat", KernelFunctionMethod.Kprobe, KernelFunctionMethod.Kprobe);

        [KernelFact(Requires = KernelFeature.Fentry)]
        public void Forced_to_fentry_it_reports_do_rmdir_with_its_argument_and_return() =>
            TraceCalls("do_rmdir", KernelFunctionMethod.Fentry, KernelFunctionMethod.Fentry);

        [KernelFact(Requires = KernelFeature.Kprobes)]
        public void Left_to_choose_it_takes_kprobes() =>
            TraceCalls("do_unlinkat", KernelFunctionMethod.Auto, KernelFunctionMethod.Kprobe);

        [KernelFact(RequiresMissing = KernelFeature.Kprobes | KernelFeature.Fentry)]
        public void Where_neither_works_the_cmdlet_names_both()
        {
            HostedModule.Run("Start-BpfTrace -KernelFunction do_unlinkat -Return -Count 1", out var errors);
            var error = Assert.Single(errors);
            Assert.Equal("KernelFunctionTracingNotSupported,EbpfPS.Commands.StartBpfTraceCommand", error.FullyQualifiedErrorId);
            Assert.Contains("CONFIG_KPROBES", error.Exception.Message);
            Assert.Contains("CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS", error.ErrorDetails.RecommendedAction);
        }
    }
}
