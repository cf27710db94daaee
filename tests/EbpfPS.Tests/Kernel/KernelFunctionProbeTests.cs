using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System;
using EbpfPS.Core.Btf;
using EbpfPS.Core;
using EbpfPS.Probes.KernelFunctions;
using EbpfPS.Probes;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>Kernel functions through kprobes, on do_unlinkat, which unlink(2) calls, and through fentry,
    /// on do_rmdir, which rmdir(2) calls: never both on one function, since Debian's 6.1 once called a null
    /// address from do_unlinkat's entry after fentry and a kprobe had been on it one after the other. Each
    /// method's test runs where the kernel has it; this machine's kernel has neither, which the last test
    /// checks the error for.</summary>
    public partial class KernelFunctionProbeTests : IClassFixture<KernelLeakCheck>
    {
        /// <summary>Traces <paramref name="function"/> (do_unlinkat, do_rmdir or do_mkdirat) while this thread unlinks,
        /// removes or makes (mode 0755) a path whose directory does not exist, and gives that call.</summary>
        private static BpfKernelFunctionEvent Traced(string function, KernelFunctionMethod method, bool withReturn)
        {
            using var probe = KernelFunctionProbe.Open(function, method, withReturn, TaskFilter.ForProcesses(new[] { Environment.ProcessId }));
            string path = Path.Combine(Path.GetTempPath(), "ebpfps-" + Guid.NewGuid());
            // ENOENT: the function runs all the same
            Assert.Equal(-1, function switch { "do_rmdir" => rmdir(path), "do_mkdirat" => mkdir(Path.Combine(path, "x"), 0x1ed), _ => unlink(path) });
            var events = new List<BpfKernelFunctionEvent>();
            var clock = Stopwatch.StartNew();
            int tid = Child.gettid();
            while (!events.Any(e => e.ThreadId == tid) && clock.Elapsed < TimeSpan.FromSeconds(5)) events.AddRange(probe.Poll(50));
            var e = Assert.Single(events, e => e.ThreadId == tid);
            Assert.Equal(probe.Method, e.Method);
            Assert.Equal(function, e.Function);
            Assert.Equal(-100, e.Arguments["dfd"]); // AT_FDCWD, typed int by BTF
            return e;
        }

        /// <summary>vfs_getxattr(..., const char *name, ...): the name comes as its text, read as the call begins; the
        /// `void *value` stays a pointer.</summary>
        private static void ReadsConstCharPointerAsText(KernelFunctionMethod method)
        {
            using var probe = KernelFunctionProbe.Open("vfs_getxattr", method, withReturn: true, TaskFilter.ForProcesses(new[] { Environment.ProcessId }));
            string name = "user.ebpfps-" + Guid.NewGuid().ToString("N");
            Assert.Equal(-1, getxattr("/proc/self/exe", name, IntPtr.Zero, 0));
            var events = new List<BpfKernelFunctionEvent>();
            var clock = Stopwatch.StartNew();
            int tid = Child.gettid();
            while (!events.Any(e => e.ThreadId == tid) && clock.Elapsed < TimeSpan.FromSeconds(5)) events.AddRange(probe.Poll(50));
            var e = Assert.Single(events, e => e.ThreadId == tid);
            Assert.Equal(name, e.Arguments["name"]);
            Assert.Contains($"name=\"{name}\"", e.ArgumentText);
            Assert.Equal(0UL, e.Arguments["value"]);
            Assert.True(Convert.ToInt64(e.ReturnValue) < 0); // no such attribute
        }

        [KernelFact(Requires = KernelFeature.Kprobes)]
        public void A_kprobe_reads_a_const_char_pointer_argument_as_its_text() => ReadsConstCharPointerAsText(KernelFunctionMethod.Kprobe);

        [KernelFact(Requires = KernelFeature.Fentry)]
        public void Fentry_reads_a_const_char_pointer_argument_as_its_text() => ReadsConstCharPointerAsText(KernelFunctionMethod.Fentry);

        [KernelFact(Requires = KernelFeature.Kprobes)]
        public void A_kprobe_catches_do_unlinkat_with_typed_arguments_and_its_return()
        {
            var e = Traced("do_unlinkat", KernelFunctionMethod.Kprobe, withReturn: true);
            Assert.Equal(KernelFunctionMethod.Kprobe, e.Method);
            Assert.Equal(-2L, Convert.ToInt64(e.ReturnValue)); // an int, or a long in 5.10's do_unlinkat
            Assert.NotNull(e.Duration);
        }

        [KernelFact(Requires = KernelFeature.Fentry)]
        public void Fentry_catches_do_rmdir_with_typed_arguments_and_its_return()
        {
            var e = Traced("do_rmdir", KernelFunctionMethod.Fentry, withReturn: true);
            Assert.Equal(KernelFunctionMethod.Fentry, e.Method);
            Assert.Equal(-2L, Convert.ToInt64(e.ReturnValue)); // an int, or a long in 5.10's do_rmdir
            Assert.NotNull(e.Duration);
        }

        [KernelFact(Requires = KernelFeature.Kprobes)]
        public void Auto_prefers_kprobes_and_without_return_gives_the_call_alone()
        {
            var e = Traced("do_unlinkat", KernelFunctionMethod.Auto, withReturn: false);
            Assert.Equal(KernelFunctionMethod.Kprobe, e.Method);
            Assert.Null(e.ReturnValue);
            Assert.Null(e.Duration);
        }

        [KernelFact(Requires = KernelFeature.Fentry)]
        public void Fentry_reads_as_many_arguments_as_the_function_has_and_then_its_return()
        {
            // do_mkdirat(dfd, name, mode): the programs for three arguments, the return value after them.
            var e = Traced("do_mkdirat", KernelFunctionMethod.Fentry, withReturn: true);
            Assert.Equal(3, e.Arguments.Count);
            Assert.Equal(0x1ed, Convert.ToInt64(e.Arguments[2]));
            Assert.Equal(-2L, Convert.ToInt64(e.ReturnValue));
        }

        [KernelFact(Requires = KernelFeature.Fentry)]
        public void Fentry_without_return_gives_the_call_alone()
        {
            var e = Traced("do_rmdir", KernelFunctionMethod.Fentry, withReturn: false);
            Assert.Null(e.ReturnValue);
            Assert.Null(e.Duration);
        }

        [KernelFact(RequiresMissing = KernelFeature.Kprobes | KernelFeature.Fentry)]
        public void Without_kprobes_and_fentry_the_error_names_what_the_kernel_lacks()
        {
            var e = Assert.Throws<BpfException>(() => KernelFunctionProbe.Open("do_unlinkat", KernelFunctionMethod.Auto, true, TaskFilter.Everyone));
            Assert.Equal(BpfErrorKind.NotSupported, e.Kind);
            Assert.Equal("KernelFunctionTracingNotSupported", e.ErrorId);
            Assert.Contains("CONFIG_KPROBES", e.Message);
            Assert.Contains("fentry on 'do_unlinkat' failed", e.Message);
            Assert.Contains("CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS", e.Hint);
            var forced = Assert.Throws<BpfException>(() => KernelFunctionProbe.Open("do_unlinkat", KernelFunctionMethod.Kprobe, false, TaskFilter.Everyone));
            Assert.Contains("CONFIG_KPROBES", forced.Message);
        }

        [KernelFact]
        public void An_unknown_function_is_named_in_the_error()
        {
            var e = Assert.Throws<BpfException>(() => KernelFunctionProbe.Open("ebpfps_no_such_function", KernelFunctionMethod.Auto, false, TaskFilter.Everyone));
            Assert.Equal("KernelFunctionNotFound", e.ErrorId);
        }

        [Fact]
        public void The_kernel_btf_gives_typed_prototypes()
        {
            var btf = KernelBtf.Load();
            var unlink = btf.Function("do_unlinkat")!;
            Assert.Matches(@"^(long )?int do_unlinkat\(int dfd, struct filename \* name\)$", unlink.Prototype); // long until 5.12
            Assert.Equal(ValueShape.Signed, unlink.Parameters[0].Type.Shape);
            Assert.Equal(ValueShape.Pointer, unlink.Parameters[1].Type.Shape);
            Assert.Equal(-100, unlink.Parameters[0].Type.Decode(unchecked((ulong)-100L)));
            Assert.Null(btf.Function("ebpfps_no_such_function"));
        }

        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial int unlink(string path);
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial nint getxattr(string path, string name, IntPtr value, nuint size);
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial int rmdir(string path);
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial int mkdir(string path, uint mode);
    }
}
