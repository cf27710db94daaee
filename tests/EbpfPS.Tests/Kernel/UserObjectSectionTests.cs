using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System;
using EbpfPS.Core.Btf;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using EbpfPS.Probes.UserObjects;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>A user's own objects (Start-BpfTrace -Path) attached by their SEC() names: kprobe/kretprobe,
    /// fentry/fexit, uprobe/uretprobe. Each object reports the calls of this process and their returns
    /// (Fixtures/user_event.h); the test makes the call from its own thread and asserts on exactly that call.</summary>
    public sealed partial class UserObjectSectionTests : IClassFixture<KernelLeakCheck>
    {
        private sealed record Call(long Argument, long Returned);

        /// <summary>The fixture object written to a file and opened as -Path opens it, target_pid set to this process.</summary>
        private static void WithObject(string fixture, EventDelivery? delivery, Action<UserObjectProbe> use)
        {
            string path = FixtureObjects.WriteToFile(fixture);
            try
            {
                using var probe = new UserObjectProbe(path, new Dictionary<string, object?> { ["target_pid"] = Environment.ProcessId }, null, delivery);
                use(probe);
            }
            finally { File.Delete(path); }
        }

        /// <summary>The records of thread <paramref name="tid"/> among <paramref name="records"/>.</summary>
        private static List<BtfRecord> OfThread(List<object?> records, int tid) =>
            records.OfType<BtfRecord>().Where(r => Convert.ToInt32(r["tid"]) == tid).ToList();

        /// <summary>Runs the fixture object, calls <paramref name="act"/> on this thread and gives the call and
        /// the return this thread made, decoded from struct event.</summary>
        private static Call Traced(string fixture, Action act)
        {
            Call? call = null;
            WithObject(fixture, null, probe =>
            {
                int tid = Child.gettid();
                act();
                var records = new List<object?>();
                var clock = Stopwatch.StartNew();
                while (OfThread(records, tid).Count < 2 && clock.Elapsed < TimeSpan.FromSeconds(10)) records.AddRange(probe.Poll(50));

                var ours = OfThread(records, tid);
                Assert.True(ours.Count == 2, $"expected one call and one return of thread {tid}, got {ours.Count} of {records.Count} records");
                Assert.All(ours, r => Assert.Equal((uint)Environment.ProcessId, r["pid"]));
                Assert.Equal(new object?[] { "SIDE_CALL", "SIDE_RETURN" }, ours.Select(r => r["side"]));
                call = new Call((long)ours[0]["value"]!, (long)ours[1]["value"]!);
            });
            return call!;
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
        public void Fentry_and_fexit_sections_report_do_rmdir_with_its_argument_and_return()
        {
            var call = Traced("user_fentry", () => Assert.Equal(-1, rmdir(Path.Combine(Path.GetTempPath(), "ebpfps-missing-" + Guid.NewGuid()))));
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

        /// <summary>Batched, the two records of one getpid stay below the perf buffer's wake-up count: the buffer
        /// does not wake its reader, and a poll drains them all the same. Woken per record, it wakes the reader
        /// at once. Proves the kernel got the wake-up count each way (perf_event_attr.wakeup_events). Asserted on
        /// the wake-up itself, not on how long a poll took: a busy machine can delay neither verdict.</summary>
        [KernelFact(Requires = KernelFeature.Uprobes)]
        public void A_batched_perf_buffer_does_not_wake_the_reader_for_two_records_and_the_poll_still_drains_them() =>
            WakeupAfterOneGetpid(perRecord: false);

        [KernelFact(Requires = KernelFeature.Uprobes)]
        public void A_perf_buffer_woken_per_record_wakes_the_reader_at_once() => WakeupAfterOneGetpid(perRecord: true);

        private static void WakeupAfterOneGetpid(bool perRecord)
        {
            // Not threaded either way: no reader thread takes the wake-up before the test looks.
            WithObject("user_uprobe", perRecord ? EventDelivery.PerEvent : EventDelivery.Batched with { Threaded = false }, probe =>
            {
                int tid = Child.gettid();
                Assert.Equal(Environment.ProcessId, getpid());
                var buffer = Assert.Single(probe.PerfBuffers);
                // The records were written before getpid returned; a wake-up of theirs is due by then. Waiting
                // up to 3 s for one only delays a failure (per record) or cannot make one (batched).
                Assert.Equal(perRecord, buffer.Woken(perRecord ? 3000 : 200));

                var records = new List<object?>();
                records.AddRange(probe.Poll(0));
                Assert.Equal(2, OfThread(records, tid).Count);
            });
        }

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial int unlink(string path);
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial int rmdir(string path);

        // Through libc's getpid symbol, where the uprobe sits (not a raw syscall).
        [LibraryImport("libc.so.6")] private static partial int getpid();
    }
}
