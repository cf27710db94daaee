using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using EbpfPS.Core;
using EbpfPS.Introspection.Features;
using EbpfPS.Probes;
using EbpfPS.Probes.UserFunctions;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>User functions through uprobes: libc's getppid and getpgid, called by this thread through P/Invoke,
    /// caught with their arguments and returns.</summary>
    public partial class UserFunctionProbeTests : IClassFixture<KernelLeakCheck>
    {
        private static readonly int Self = Environment.ProcessId;

        private static List<BpfUserFunctionEvent> Calls(UserFunctionProbe probe, int expected)
        {
            var events = new List<BpfUserFunctionEvent>();
            int tid = Child.gettid();
            var clock = Stopwatch.StartNew();
            while (events.Count(e => e.ThreadId == tid) < expected && clock.Elapsed < TimeSpan.FromSeconds(5)) events.AddRange(probe.Poll(50));
            events.AddRange(probe.Poll(50)); // nothing more may come
            return events.Where(e => e.ThreadId == tid).ToList();
        }

        [KernelFact(Requires = KernelFeature.Uprobes)]
        public void A_uprobe_catches_each_call_of_a_library_function_with_its_return()
        {
            using var probe = UserFunctionProbe.Open(UserFunctions.Resolve("libc:getppid", Self), prototype: null, withReturn: true, TaskFilter.ForProcesses(new[] { Self }), Self, includeChildren: false);
            var function = Assert.Single(probe.Functions);
            Assert.EndsWith("/libc.so.6", function.Path);
            int parent = 0;
            for (int i = 0; i < 5; i++) parent = getppid();

            var calls = Calls(probe, 5);
            Assert.Equal(5, calls.Count);
            Assert.All(calls, e =>
            {
                Assert.Equal("getppid", e.Function);
                Assert.Equal(function.Path, e.Path);
                Assert.Equal(Self, e.ProcessId);
                Assert.Equal((long)parent, e.ReturnValue);
                Assert.True(e.Duration > TimeSpan.Zero);
            });
        }

        [KernelFact(Requires = KernelFeature.Uprobes)]
        public void A_wildcard_traces_each_function_it_matches_under_its_own_name_with_its_arguments()
        {
            Assert.SkipUnless(KernelFeatures.HasCookies, "several functions in one trace need BPF cookies (5.15+)");
            using var probe = UserFunctionProbe.Open(UserFunctions.Resolve("libc:getp[gp]id", Self), prototype: null, withReturn: false, TaskFilter.ForProcesses(new[] { Self }), Self, includeChildren: false);
            Assert.Equal(new[] { "getpgid", "getppid" }, probe.Functions.Select(f => f.Name));
            getppid();
            Assert.Equal(-1, getpgid(int.MaxValue)); // ESRCH, after the call
            getppid();

            var calls = Calls(probe, 3);
            Assert.Equal(new[] { "getppid", "getpgid", "getppid" }, calls.Select(e => e.Function));
            Assert.Equal((ulong)int.MaxValue, calls[1].Arguments["arg0"]);
            Assert.Null(calls[1].ReturnValue);
        }

        [KernelFact(Requires = KernelFeature.Uprobes)]
        public void Declared_arguments_get_their_names_and_types_and_a_char_pointer_its_text()
        {
            var prototype = UserFunctionPrototype.Parse(new[] { "int access(const char *path, int mode)" }, "libc:access");
            using var probe = UserFunctionProbe.Open(UserFunctions.Resolve("libc:access", Self), prototype, withReturn: true,
                TaskFilter.ForProcesses(new[] { Self }), Self, includeChildren: false);
            Assert.Equal(0, access("/etc/hostname", 4));
            Assert.Equal(-1, access("/ebpfps-no-such-file", 0));

            var calls = Calls(probe, 2);
            Assert.Equal(new object[] { "/etc/hostname", "/ebpfps-no-such-file" }, calls.Select(c => c.Arguments["path"]));
            Assert.Equal(new object[] { 4, 0 }, calls.Select(c => c.Arguments["mode"]));
            Assert.Equal(new object[] { 0, -1 }, calls.Select(c => c.ReturnValue));
            Assert.Equal("path=\"/etc/hostname\", mode=4", calls[0].ArgumentText);
        }

        [KernelFact(Requires = KernelFeature.Uprobes)]
        public void A_char_pointer_return_is_read_as_its_text_and_NULL_as_nothing()
        {
            var prototype = UserFunctionPrototype.Parse(new[] { "char *getenv(const char *name)" }, "libc:getenv");
            using var probe = UserFunctionProbe.Open(UserFunctions.Resolve("libc:getenv", Self), prototype, withReturn: true,
                TaskFilter.ForProcesses(new[] { Self }), Self, includeChildren: false);
            Assert.Equal(0, setenv("EBPFPS_PROTOTYPE_TEST", "a value of its own", 1));
            getenv("EBPFPS_PROTOTYPE_TEST");
            getenv("EBPFPS_NO_SUCH_VARIABLE");

            var calls = Calls(probe, 2);
            Assert.Equal(new object[] { "EBPFPS_PROTOTYPE_TEST", "EBPFPS_NO_SUCH_VARIABLE" }, calls.Select(c => c.Arguments["name"]));
            Assert.Equal("a value of its own", calls[0].ReturnValue);
            Assert.Null(calls[1].ReturnValue);
        }

        [Fact]
        public void A_library_is_found_by_its_name_and_a_function_at_the_offset_of_its_code_in_the_file()
        {
            string libc = UserFunctions.Binary("libc", processId: null);
            Assert.Matches("^/.*/libc\\.so\\.6$", libc);
            Assert.Equal(libc, UserFunctions.Binary("libc.so.6", processId: null));
            var getppid = Assert.Single(UserFunctions.Functions(libc, "getppid"));
            // Where readelf says the symbol is, through the executable segment that maps it.
            var (address, segment) = ReadElf(libc, "getppid");
            Assert.Equal(address - segment.VirtualAddress + segment.Offset, getppid.Offset);
        }

        [Theory]
        [InlineData("libc", BpfErrorIds.UserFunctionInvalid)]
        [InlineData("libc:", BpfErrorIds.UserFunctionInvalid)]
        [InlineData("ebpfps-no-such-library:f", BpfErrorIds.UserBinaryNotFound)]
        [InlineData("/etc/hostname:f", BpfErrorIds.UserBinaryNotElf)]
        [InlineData("libc:ebpfps_no_such_function", BpfErrorIds.UserFunctionNotFound)]
        [InlineData("libc:*", BpfErrorIds.UserFunctionsTooMany)]
        public void What_names_no_function_is_refused_with_its_error_id(string spec, string errorId)
        {
            var e = Assert.Throws<BpfException>(() => UserFunctions.Resolve(spec, processId: null));
            Assert.Equal(errorId, e.ErrorId);
            Assert.False(string.IsNullOrEmpty(e.Hint));
        }

        /// <summary>readelf's value of SYMBOL and the executable PT_LOAD segment holding it.</summary>
        private static (ulong Address, (ulong VirtualAddress, ulong Offset) Segment) ReadElf(string path, string symbol)
        {
            ulong address = Convert.ToUInt64(Run("readelf", "-Ws", "--dyn-syms", path).Split('\n')
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .First(f => f.Length >= 8 && f[3] == "FUNC" && f[7].Split("@")[0] == symbol)[1], 16); // getppid@@GLIBC_2.2.5
            var segment = Run("readelf", "-lW", path).Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length >= 8 && f[0] == "LOAD" && f[^2].Contains('E'))
                .Select(f => (VirtualAddress: Convert.ToUInt64(f[2], 16), Offset: Convert.ToUInt64(f[1], 16), Size: Convert.ToUInt64(f[5], 16)))
                .Single(s => address >= s.VirtualAddress && address < s.VirtualAddress + s.Size);
            return (address, (segment.VirtualAddress, segment.Offset));
        }

        private static string Run(string program, params string[] arguments)
        {
            var info = new ProcessStartInfo(program) { RedirectStandardOutput = true };
            foreach (var a in arguments) info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return output;
        }

        [LibraryImport("libc")] private static partial int getppid();
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial int access(string path, int mode);
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial int setenv(string name, string value, int overwrite);
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] private static partial nint getenv(string name);
        [LibraryImport("libc", SetLastError = true)] private static partial int getpgid(int pid);
    }
}
