using System.Linq;
using EbpfPS.Probes.KernelFunctions;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>Start-BpfTrace -KernelFunction as a user runs it, forced to each method in turn and left to
    /// choose: vfs_write of a child that writes 4,242 bytes at a time, with the count argument and the
    /// return value.</summary>
    public sealed class KernelFunctionCmdletTests
    {
        private static void TraceWrites(KernelFunctionMethod method, KernelFunctionMethod expected)
        {
            using var writer = Child.Bash("exec dd if=/dev/zero of=/dev/null bs=4242 status=none", "dd");
            var output = HostedModule.Run(
                $"Start-BpfTrace -KernelFunction vfs_write -Return -Method {method} -ProcessId {writer.Pid} -Count 2 -Duration 00:00:30",
                out var errors);

            Assert.Empty(errors);
            var events = output.Select(o => o.BaseObject).OfType<BpfKernelFunctionEvent>().ToList();
            Assert.Equal(2, events.Count);
            Assert.All(events, e =>
            {
                Assert.Equal(expected, e.Method);
                Assert.Equal("vfs_write", e.Function);
                Assert.Equal(writer.Pid, e.ProcessId);
                Assert.Equal("dd", e.Command);
                Assert.Equal(4242UL, e.Arguments["count"]); // size_t, typed by BTF
                Assert.Equal(4242L, e.ReturnValue);
                Assert.NotNull(e.Duration);
            });
        }

        [KernelFact(Requires = KernelFeature.Kprobes)]
        public void Forced_to_kprobes_it_reports_vfs_write_with_count_and_return() =>
            TraceWrites(KernelFunctionMethod.Kprobe, KernelFunctionMethod.Kprobe);

        [KernelFact(Requires = KernelFeature.Fentry)]
        public void Forced_to_fentry_it_reports_vfs_write_with_count_and_return() =>
            TraceWrites(KernelFunctionMethod.Fentry, KernelFunctionMethod.Fentry);

        [KernelFact(Requires = KernelFeature.Kprobes)]
        public void Left_to_choose_it_takes_kprobes() =>
            TraceWrites(KernelFunctionMethod.Auto, KernelFunctionMethod.Kprobe);

        [KernelFact(RequiresMissing = KernelFeature.Kprobes | KernelFeature.Fentry)]
        public void Where_neither_works_the_cmdlet_names_both()
        {
            HostedModule.Run("Start-BpfTrace -KernelFunction vfs_write -Return -Count 1", out var errors);
            var error = Assert.Single(errors);
            Assert.Equal("KernelFunctionTracingNotSupported,EbpfPS.Commands.StartBpfTraceCommand", error.FullyQualifiedErrorId);
            Assert.Contains("CONFIG_KPROBES", error.Exception.Message);
            Assert.Contains("CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS", error.ErrorDetails.RecommendedAction);
        }
    }
}
