using System;
using System.Linq;
using System.Runtime.InteropServices;
using EbpfPS.Core;
using EbpfPS.Probes;
using EbpfPS.Probes.Aggregation;
using EbpfPS.Probes.KernelFunctions;
using EbpfPS.Probes.Syscalls;
using EbpfPS.Probes.Tracepoints;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>Measure-BpfTrace's counting in the kernel (bpf/aggregate.h) through the probes, on calls this test makes
    /// itself; in the kernel matrix too, where older verifiers see the same programs.</summary>
    public partial class AggregationKernelTests : IClassFixture<KernelLeakCheck>
    {
        private static readonly int Self = Environment.ProcessId;

        private static AggregationPlan Plan(AggregateField[] keys, AggregateField? value = null, HistogramKind histogram = HistogramKind.None) =>
            new(keys, value, histogram);

        [KernelFact]
        public void Counts_the_calls_of_this_process_on_the_syscall_exit_alone()
        {
            var syscalls = Syscall.Resolve(KernelSupport.DemandTraceFs(), new[] { "getppid" });
            var plan = Plan(new[] { SyscallMeasures.Key("ProcessId", syscalls, new CgroupNames()), SyscallMeasures.Key("Syscall", syscalls, new CgroupNames()) });
            Assert.False(plan.NeedsEntry);
            using var probe = new SyscallProbe(syscalls, TaskFilter.ForProcesses(new[] { Self }), measure: plan);
            for (int i = 0; i < 777; i++) getppid();

            var measurement = Assert.Single(new AggregateReader(plan, probe.Skeleton).Read(reset: false));
            Assert.Equal(777, measurement.Count);
            Assert.Equal(new object?[] { Self, "getppid" }, measurement.KeyParts.Select(p => p.Value).ToArray());
            Assert.Null(measurement.Sum);
        }

        [KernelFact]
        public void Counts_durations_in_buckets_and_reads_each_interval_alone()
        {
            var syscalls = Syscall.Resolve(KernelSupport.DemandTraceFs(), new[] { "getppid" });
            var plan = Plan(new[] { SyscallMeasures.Key("ThreadId", syscalls, new CgroupNames()) }, SyscallMeasures.Value("Duration", syscalls), HistogramKind.PowerOfTwo);
            using var probe = new SyscallProbe(syscalls, TaskFilter.ForProcesses(new[] { Self }), measure: plan);
            var reader = new AggregateReader(plan, probe.Skeleton);

            for (int i = 0; i < 300; i++) getppid();
            var first = Assert.Single(reader.Read(reset: true));
            for (int i = 0; i < 200; i++) getppid();
            var second = Assert.Single(reader.Read(reset: true));

            Assert.Equal((300L, 200L), (first.Count, second.Count));
            Assert.Equal(first.Count, first.Histogram.Sum(b => b.Count));
            Assert.InRange(first.Minimum!.Value, 1, first.Maximum!.Value);
            Assert.InRange(first.Sum!.Value, first.Count * first.Minimum.Value, first.Count * first.Maximum.Value);
            Assert.Empty(reader.Read(reset: true)); // nothing counted since
            Assert.Equal(0UL, reader.Overflow);
        }

        [KernelFact]
        public void Counts_the_hits_of_a_tracepoint_by_a_field_of_its_format()
        {
            var formats = Core.TraceFs.Tracepoints.Resolve(KernelSupport.DemandTraceFs(), "syscalls:sys_enter_kill");
            var plan = Plan(new[] { TracepointMeasures.Key("pid", formats, new CgroupNames()), TracepointMeasures.Key("Tracepoint", formats, new CgroupNames()) });
            using var probe = new TracepointProbe(formats, TaskFilter.ForProcesses(new[] { Self }), measure: plan);
            for (int i = 0; i < 5; i++) kill(Self, 0); // signal 0: permission checked, nothing sent
            for (int i = 0; i < 3; i++) kill(1, 0);

            var counts = new AggregateReader(plan, probe.Skeleton).Read(reset: false)
                .ToDictionary(m => Convert.ToInt64(m.KeyParts[0].Value), m => (m.Count, Tracepoint: m.KeyParts[1].Value));
            Assert.Equal((5L, (object?)"syscalls:sys_enter_kill"), counts[Self]);
            Assert.Equal(3L, counts[1].Count);
        }

        [KernelFact]
        public void Events_of_keys_beyond_the_limit_are_counted_as_overflow()
        {
            var formats = Core.TraceFs.Tracepoints.Resolve(KernelSupport.DemandTraceFs(), "syscalls:sys_enter_kill");
            var plan = new AggregationPlan(new[] { TracepointMeasures.Key("sig", formats, new CgroupNames()) }, null, maxKeys: 2);
            using var probe = new TracepointProbe(formats, TaskFilter.ForProcesses(new[] { Self }), measure: plan);
            foreach (int signal in new[] { 0, 0, 18, 28, 28, 28 }) kill(Self, signal); // SIGCONT and SIGWINCH: harmless here

            var reader = new AggregateReader(plan, probe.Skeleton);
            var measurements = reader.Read(reset: false);
            Assert.Equal(new object?[] { 0L, 18L }, measurements.Select(m => (object?)Convert.ToInt64(m.KeyParts[0].Value)).Order().ToArray());
            Assert.Equal(3, measurements.Sum(m => m.Count)); // 0, 0 and 18: the first two keys
            Assert.Equal(3UL, reader.Overflow);              // the three of 28, a third key
        }

        [KernelFact]
        public void Counts_the_execs_of_a_child_by_their_parent()
        {
            var cgroups = new CgroupNames();
            var plan = Plan(new[] { Probes.Exec.ExecMeasures.Key("ParentProcessId", cgroups), Probes.Exec.ExecMeasures.Key("Command", cgroups) },
                Probes.Exec.ExecMeasures.Value("Duration"));
            using var probe = new Probes.Exec.ExecProbe(TaskFilter.ForProcesses(Array.Empty<int>()), measure: plan);
            using var shell = System.Diagnostics.Process.Start("/bin/sh", new[] { "-c", "/bin/true; /bin/true; /bin/true; exit 0" })!;
            shell.WaitForExit();

            var row = Assert.Single(new AggregateReader(plan, probe.Skeleton).Read(reset: false), m => Equals(m.KeyParts[0].Value, shell.Id));
            Assert.Equal((3L, (object?)"true"), (row.Count, row.KeyParts[1].Value));
            Assert.True(row.Minimum > 0);
        }

        [KernelFact(Requires = KernelFeature.Kprobes)]
        public void Counts_a_kernel_functions_failures_and_their_durations_through_kprobes() => CountsUnlinks(KernelFunctionMethod.Kprobe, withReturn: true);

        [KernelFact(Requires = KernelFeature.Fentry)]
        public void Counts_a_kernel_functions_failures_and_their_durations_through_fentry() => CountsUnlinks(KernelFunctionMethod.Fentry, withReturn: true);

        [KernelFact(Requires = KernelFeature.Kprobes)]
        public void Counts_a_kernel_functions_calls_at_their_entry_alone() => CountsUnlinks(KernelFunctionMethod.Kprobe, withReturn: false);

        /// <summary>Four unlinks of a missing path by this thread: do_unlinkat with dfd AT_FDCWD, failing with ENOENT.</summary>
        private static void CountsUnlinks(KernelFunctionMethod method, bool withReturn)
        {
            var prototype = Core.Btf.KernelBtf.Load().Function("do_unlinkat");
            var cgroups = new CgroupNames();
            var keys = new[] { Probes.KernelFunctions.KernelFunctionMeasures.Key("ThreadId", prototype, cgroups), Probes.KernelFunctions.KernelFunctionMeasures.Key("dfd", prototype, cgroups) };
            var plan = withReturn
                ? Plan(keys.Append(Probes.KernelFunctions.KernelFunctionMeasures.Key("ErrorName", prototype, cgroups)).ToArray(),
                    Probes.KernelFunctions.KernelFunctionMeasures.Value("Duration", prototype), HistogramKind.PowerOfTwo)
                : Plan(keys);
            using var probe = Probes.KernelFunctions.KernelFunctionProbe.Open("do_unlinkat", method, withReturn, TaskFilter.ForProcesses(new[] { Self }), measure: plan);
            for (int i = 0; i < 4; i++) Assert.Equal(-1, unlink(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ebpfps-" + Guid.NewGuid())));

            int tid = Child.gettid();
            var row = Assert.Single(new AggregateReader(plan, probe.Skeleton).Read(reset: false), m => Equals(m.KeyParts[0].Value, tid));
            Assert.Equal(4, row.Count);
            Assert.Equal(-100, row.KeyParts[1].Value); // AT_FDCWD, an int by BTF
            if (!withReturn) return;
            Assert.Equal("ENOENT", row.KeyParts[2].Value);
            Assert.Equal(4, row.Histogram.Sum(b => b.Count));
            Assert.True(row.Minimum > 0);
        }

        /// <summary>vfs_getxattr(..., const char *name, ...) gets the attribute's name copied into kernel memory, here five
        /// getxattr calls for one that no file has: counted by the text the pointer points to, not by the pointer.</summary>
        [KernelFact(Requires = KernelFeature.Kprobes)]
        public void Counts_a_kernel_functions_calls_by_the_text_its_char_pointer_argument_points_to()
        {
            var prototype = Core.Btf.KernelBtf.Load().Function("vfs_getxattr");
            var cgroups = new CgroupNames();
            var plan = Plan(new[] { Probes.KernelFunctions.KernelFunctionMeasures.Key("name", prototype, cgroups) });
            Assert.True(plan.Keys[0].IsText);
            using var probe = Probes.KernelFunctions.KernelFunctionProbe.Open("vfs_getxattr", KernelFunctionMethod.Kprobe, withReturn: false,
                TaskFilter.ForProcesses(new[] { Self }), measure: plan);
            string name = "user.ebpfps-" + Guid.NewGuid().ToString("N");
            for (int i = 0; i < 5; i++) Assert.Equal(-1, getxattr("/proc/self/exe", name, IntPtr.Zero, 0));

            var row = Assert.Single(new AggregateReader(plan, probe.Skeleton).Read(reset: false), m => Equals(m.KeyParts[0].Value, name));
            Assert.Equal(5, row.Count);
        }

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial nint getxattr(string path, string name, IntPtr value, nuint size);
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial int unlink(string path);
        [LibraryImport("libc")] private static partial int getppid();
        [LibraryImport("libc")] private static partial int kill(int pid, int signal);
    }
}
