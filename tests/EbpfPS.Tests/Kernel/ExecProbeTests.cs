using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using EbpfPS.Probes;
using EbpfPS.Probes.Exec;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>The exec probe on execs this test makes, with argv it chose.</summary>
    public class ExecProbeTests : IClassFixture<KernelLeakCheck>
    {
        private static List<BpfExecEvent> Collect(ExecProbe probe, Func<BpfExecEvent, bool> wanted)
        {
            var events = new List<BpfExecEvent>();
            var clock = Stopwatch.StartNew();
            while (!events.Any(wanted) && clock.Elapsed < TimeSpan.FromSeconds(5)) events.AddRange(probe.Poll(50));
            return events.Where(wanted).ToList();
        }

        private static int Run(string file, params string[] arguments)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in arguments) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.Id;
        }

        [KernelFact]
        public void An_exec_gives_filename_argv_parent_and_success()
        {
            using var probe = new ExecProbe(TaskFilter.Everyone);
            string marker = Guid.NewGuid().ToString();
            int pid = Run("/bin/echo", marker, "two words");

            var e = Assert.Single(Collect(probe, e => e.ProcessId == pid && e.Filename == "/bin/echo"));
            Assert.Equal(new[] { "/bin/echo", marker, "two words" }, e.Arguments);
            Assert.Equal($"/bin/echo {marker} two words", e.CommandLine);
            Assert.Equal(Environment.ProcessId, e.ParentProcessId);
            Assert.Equal(System.IO.File.ReadAllText("/proc/self/comm").Trim(), e.ParentCommand);
            Assert.Equal("echo", e.Command);
            Assert.Equal(0, e.UserId);
            Assert.True(e.Succeeded);
            Assert.False(e.ArgumentsTruncated);
        }

        [KernelFact]
        public void A_failed_exec_is_reported_with_its_errno()
        {
            using var probe = new ExecProbe(TaskFilter.Everyone);
            int pid = Run("python3", "-c", "import os\ntry:\n os.execv('/nonexistent/ebpfps', ['ebpfps', 'a1'])\nexcept OSError:\n pass");

            var e = Assert.Single(Collect(probe, e => e.ProcessId == pid && e.Filename == "/nonexistent/ebpfps"));
            Assert.Equal(new[] { "ebpfps", "a1" }, e.Arguments);
            Assert.Equal(-2, e.ReturnValue);
            Assert.Equal("ENOENT", e.ErrorName);
            Assert.False(e.Succeeded);
            Assert.Equal("python3", e.Command);
        }

        [KernelFact]
        public void A_long_argv_is_cut_and_flagged()
        {
            using var probe = new ExecProbe(TaskFilter.Everyone);
            var many = Enumerable.Range(1, 40).Select(i => "arg" + i).ToArray();
            int pid = Run("/bin/true", many);

            var e = Assert.Single(Collect(probe, e => e.ProcessId == pid && e.Filename == "/bin/true"));
            Assert.Equal(32, e.Arguments.Count);
            Assert.Equal("arg31", e.Arguments[^1]);
            Assert.True(e.ArgumentsTruncated);
        }
    }
}
