using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using EbpfPS.Core.Btf;
using EbpfPS.Probes.UserObjects;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>A user's own objects (Start-BpfTrace -Path) attached by their SEC() names: kprobe/kretprobe,
    /// fentry/fexit, uprobe/uretprobe. Each object reports the calls of this process and their returns
    /// (Fixtures/user_event.h); the test makes the call from its own thread and asserts on exactly that call.</summary>
    public sealed partial class UserObjectSectionTests
    {
        private sealed record Call(long Argument, long Returned);

        /// <summary>Runs the fixture object with target_pid set to this process, calls <paramref name="act"/>
        /// on this thread and gives the call and the return this thread made, decoded from struct event.</summary>
        private static Call Traced(string fixture, Action act)
        {
            string path = Path.Combine(Path.GetTempPath(), $"ebpfps-{Guid.NewGuid():N}-{fixture}.bpf.o");
            File.WriteAllBytes(path, FixtureObjects.Read(fixture));
            try
            {
                using var probe = new UserObjectProbe(path, new Dictionary<string, object?> { ["target_pid"] = Environment.ProcessId }, null);
                int tid = Child.gettid();
                act();
                var records = new List<object?>();
                var clock = Stopwatch.StartNew();
                List<BtfRecord> Ours() => records.OfType<BtfRecord>().Where(r => Convert.ToInt32(r["tid"]) == tid).ToList();
                while (Ours().Count < 2 && clock.Elapsed < TimeSpan.FromSeconds(10)) probe.Poll(50, records);

                var ours = Ours();
                Assert.True(ours.Count == 2, $"expected one call and one return of thread {tid}, got {ours.Count} of {records.Count} records");
                Assert.All(ours, r => Assert.Equal((uint)Environment.ProcessId, r["pid"]));
                Assert.Equal(new object?[] { "SIDE_CALL", "SIDE_RETURN" }, ours.Select(r => r["side"]));
                return new Call((long)ours[0]["value"]!, (long)ours[1]["value"]!);
            }
            finally { File.Delete(path); }
        }

        private static void UnlinkMissingFile() =>
            Assert.Equal(-1, unlink(Path.Combine(Path.GetTempPath(), "ebpfps-missing-" + Guid.NewGuid())));

        [KernelFact(Requires = KernelFeature.Kprobes)]
        public void Kprobe_and_kretprobe_sections_report_do_unlinkat_with_its_argument_and_return()
        {
            var call = Traced("user_kprobe", UnlinkMissingFile);
            Assert.Equal(new Call(-100, -2), call); // AT_FDCWD; -ENOENT
        }

        [KernelFact(Requires = KernelFeature.Fentry)]
        public void Fentry_and_fexit_sections_report_do_unlinkat_with_its_argument_and_return()
        {
            var call = Traced("user_fentry", UnlinkMissingFile);
            Assert.Equal(new Call(-100, -2), call);
        }

        [KernelFact(Requires = KernelFeature.Uprobes)]
        public void Uprobe_and_uretprobe_sections_on_libc_report_getpid_through_a_perf_buffer()
        {
            int pid = 0;
            var call = Traced("user_uprobe", () => pid = getpid());
            Assert.Equal(Environment.ProcessId, pid);
            Assert.Equal(new Call(0, pid), call);
        }

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial int unlink(string path);

        // Through libc's getpid symbol, where the uprobe sits (not a raw syscall).
        [LibraryImport("libc.so.6")] private static partial int getpid();
    }
}
