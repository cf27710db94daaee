using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using EbpfPS.Core;
using EbpfPS.Probes.Syscalls;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>The syscall probe on syscalls this test makes itself, through libc (not .NET's FileStream,
    /// which uses pwrite64).</summary>
    public partial class SyscallProbeTests
    {
        private static SyscallProbe Trace(params string[] names) =>
            new(Syscall.Resolve(KernelSupport.DemandTraceFs(), names), new[] { Environment.ProcessId });

        private static List<BpfSyscallEvent> Collect(SyscallProbe probe, Func<BpfSyscallEvent, bool> wanted)
        {
            var events = new List<BpfSyscallEvent>();
            var clock = Stopwatch.StartNew();
            while (!events.Any(wanted) && clock.Elapsed < TimeSpan.FromSeconds(5)) probe.Poll(50, events);
            return events.Where(wanted).ToList();
        }

        [KernelFact]
        public void A_write_gives_its_named_arguments_return_value_and_duration()
        {
            using var probe = Trace("write");
            int fd = open("/dev/null", 1 /* O_WRONLY */);
            try
            {
                var text = new byte[] { 1, 2, 3, 4, 5, 6, 7 };
                Assert.Equal(7, write(fd, text, 7));
                int tid = Child.gettid();
                var e = Assert.Single(Collect(probe, e => e.ThreadId == tid && e.Arguments["fd"] is uint f && f == fd));
                Assert.Equal("write", e.Syscall);
                Assert.Equal(Environment.ProcessId, e.ProcessId);
                Assert.Equal(7UL, e.Arguments["count"]);
                Assert.Equal(7, e.ReturnValue);
                Assert.Equal("", e.ErrorName);
                Assert.StartsWith($"fd={fd}, buf=0x", e.ArgumentText);
                Assert.True(e.Duration > TimeSpan.Zero && e.Duration < TimeSpan.FromSeconds(1));
            }
            finally { close(fd); }
        }

        [KernelFact]
        public void A_failing_openat_gives_the_path_it_was_given_and_the_errno_name()
        {
            using var probe = Trace("open*");
            string path = "/nonexistent/ebpfps-" + Guid.NewGuid();
            Assert.Equal(-1, open(path, 0));

            var e = Assert.Single(Collect(probe, e => e.Arguments["filename"] as string == path));
            Assert.Equal("openat", e.Syscall);
            Assert.Equal(-2, e.ReturnValue);
            Assert.Equal("ENOENT", e.ErrorName);
            Assert.Equal(-100, e.Arguments["dfd"]); // AT_FDCWD, signed
        }

        [KernelFact]
        public void Every_syscall_of_this_kernel_resolves_and_paths_are_the_string_arguments()
        {
            var all = Syscall.Resolve(KernelSupport.DemandTraceFs(), new[] { "*" }).ToDictionary(s => s.Name);
            Assert.True(all.Count > 300, $"only {all.Count} syscalls");
            Assert.All(all.Values, s => Assert.Equal("sys_exit_" + s.Name, s.Exit.Name));
            string? StringArgument(string name) => all[name].StringArgument < 0 ? null : all[name].Arguments[all[name].StringArgument].Name;
            Assert.Equal("filename", StringArgument("openat"));
            Assert.Equal("filename", StringArgument("execve"));
            Assert.Equal("pathname", StringArgument("unlinkat"));
            Assert.Equal("oldname", StringArgument("rename"));
            Assert.Null(StringArgument("write"));
            Assert.Null(StringArgument("getppid"));
        }

        [Fact]
        public void An_unknown_syscall_is_named_in_the_error()
        {
            if (KernelTests.SkipReason is not null) return; // tracefs needs root to read
            var e = Assert.Throws<BpfException>(() => Syscall.Resolve(KernelSupport.DemandTraceFs(), new[] { "nosuchcall" }));
            Assert.Equal("SyscallNotFound", e.ErrorId);
            Assert.Contains("nosuchcall", e.Message);
        }

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial int open(string path, int flags);
        [LibraryImport("libc")] private static partial nint write(int fd, byte[] buffer, nint count);
        [LibraryImport("libc")] private static partial int close(int fd);
    }
}
