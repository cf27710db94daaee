using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using EbpfPS.Core;
using EbpfPS.Core.Symbols;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Stack addresses named: kernel ones through kallsyms, user ones through a process's mappings and the ELF
    /// symbols of its files (libc in this very process; a program compiled here, as PIE and not), JIT code through a
    /// perf map.</summary>
    public class SymbolizerTests
    {
        private const string Kallsyms = """
            ffffffff81000000 T _stext
            ffffffff81000000 T startup_64
            ffffffff81001000 t __do_something
            ffffffff81001000 T do_something
            ffffffff81001040 D some_data
            ffffffff81001080 T next_function
            ffffffff81002000 T bpf_trace_run2
            ffffffff81002100 t __bpf_trace_sys_exit
            ffffffffc0027000 t bpf_prog_bc85e1fb66b3aeba_handle_exit	[bpf]
            ffffffffc0a01000 t veth_xmit	[veth]
            ffffffffc0a01200 t veth_poll	[veth]
            """;

        private static KernelSymbols RecordedKernel() =>
            new(Kallsyms.Split('\n').Select(KernelSymbol.Parse).OfType<KernelSymbol>());

        [Fact]
        public void A_kernel_address_is_named_by_the_function_it_falls_in_with_its_module()
        {
            var symbolizer = new Symbolizer(RecordedKernel);
            var frame = symbolizer.KernelFrame(0xffffffff8100105f); // past some_data: data does not split functions
            Assert.Equal("do_something", frame.Symbol);                 // of aliases, the one without underscores
            Assert.Equal(0x5fUL, frame.Offset);
            Assert.Equal("kernel", frame.Module);
            Assert.Equal("do_something+0x5f [kernel]", frame.ToString());

            var module = symbolizer.KernelFrame(0xffffffffc0a01210);
            Assert.Equal("veth_poll+0x10 [veth]", module.ToString());

            var below = symbolizer.KernelFrame(0xffffffff80000000);
            Assert.Equal("", below.Symbol);
            Assert.Equal("0xffffffff80000000 [kernel]", below.ToString());
        }

        [Fact]
        public void A_return_address_just_past_its_function_is_named_by_the_caller()
        {
            var symbolizer = new Symbolizer(RecordedKernel);
            // a call that ends do_something returns to next_function's first byte
            var frames = symbolizer.KernelStack(new ulong[] { 0xffffffff81001090, 0xffffffff81001080, 0 });
            Assert.Equal(new[] { "next_function+0x10 [kernel]", "do_something+0x80 [kernel]" }, frames.Select(f => f.ToString()));
        }

        [Fact]
        public void A_kernel_stack_begins_where_the_traced_code_was_not_in_the_programs_that_ran_the_probe()
        {
            var symbolizer = new Symbolizer(RecordedKernel);
            var frames = symbolizer.KernelStack(new ulong[] { 0xffffffffc0027099, 0xffffffff81002050, 0xffffffff8100210c, 0xffffffff81001090, 0 });
            Assert.Equal(new[] { "next_function+0x10 [kernel]" }, frames.Select(f => f.ToString()));

            // a stack of nothing but that machinery is kept as it is, rather than emptied
            var machinery = symbolizer.KernelStack(new ulong[] { 0xffffffffc0027099, 0xffffffff81002050, 0 });
            Assert.Equal(new[] { "bpf_prog_bc85e1fb66b3aeba_handle_exit+0x99 [bpf]", "bpf_trace_run2+0x50 [kernel]" }, machinery.Select(f => f.ToString()));
        }

        [Fact]
        public void The_live_kernel_names_the_address_of_a_syscall_entry_as_kallsyms_lists_it()
        {
            var line = File.ReadLines("/proc/kallsyms").FirstOrDefault(l => l.EndsWith(" T __x64_sys_getppid", StringComparison.Ordinal));
            Assert.SkipWhen(line is null || line.StartsWith("0000000000000000", StringComparison.Ordinal),
                "kallsyms hides its addresses from this process (kptr_restrict), or has no __x64_sys_getppid");
            string address = line!.Split(' ')[0];
            // names kallsyms gives the same address (__do_sys_getppid, __ia32_sys_getppid...): any is right
            var aliases = File.ReadLines("/proc/kallsyms").Where(l => l.StartsWith(address + " ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();
            var frame = new Symbolizer().KernelFrame(Convert.ToUInt64(address, 16) + 4);
            Assert.Contains(frame.Symbol, aliases);
            Assert.Equal($"{frame.Symbol}+0x4 [kernel]", frame.ToString());
        }

        [Fact]
        public void A_libc_function_of_this_process_is_named_through_the_mapping_of_libc()
        {
            nint libc = NativeLibrary.Load("libc.so.6");
            ulong getppid = (ulong)NativeLibrary.GetExport(libc, "getppid");
            var frame = new Symbolizer(RecordedKernel).UserFrame(Environment.ProcessId, getppid + 4);
            Assert.Equal("getppid", frame.Symbol);
            Assert.Equal(4UL, frame.Offset);
            Assert.Equal(BpfStackFrameKind.User, frame.Kind);
            Assert.Matches("^/.*/libc\\.so\\.6$", frame.Module);
            Assert.Equal($"getppid+0x4 ({frame.Module})", frame.ToString());
        }

        [Theory]
        [InlineData("-pie")]
        [InlineData("-no-pie")]
        public void A_program_built_here_has_its_function_named_at_the_address_it_runs_at(string pie)
        {
            string dir = Directory.CreateTempSubdirectory("ebpfps-symbols-").FullName;
            try
            {
                File.WriteAllText(Path.Combine(dir, "spin.c"), """
                    #include <stdio.h>
                    #include <unistd.h>
                    void ebpfps_marker(void) { for (;;) pause(); }
                    int main(void) { printf("%p\n", (void *)ebpfps_marker); fflush(stdout); ebpfps_marker(); return 0; }
                    """);
                string program = Path.Combine(dir, "spin");
                Run("cc", "-O0", "-g", pie, pie == "-pie" ? "-fPIE" : "-fno-pie", "-o", program, Path.Combine(dir, "spin.c"));
                using var child = Process.Start(new ProcessStartInfo(program) { RedirectStandardOutput = true })!;
                try
                {
                    ulong marker = Convert.ToUInt64(child.StandardOutput.ReadLine()!.Trim(), 16);
                    var frame = new Symbolizer(RecordedKernel).UserFrame(child.Id, marker + 8);
                    Assert.Equal($"ebpfps_marker+0x8 ({program})", frame.ToString());
                }
                finally { child.Kill(); child.WaitForExit(); }
            }
            finally { Directory.Delete(dir, recursive: true); }
        }

        [Fact]
        public void A_frame_of_a_process_that_has_exited_is_named_by_its_files_build_id()
        {
            string dir = Directory.CreateTempSubdirectory("ebpfps-symbols-").FullName;
            string? path = Environment.GetEnvironmentVariable("PATH");
            try
            {
                File.WriteAllText(Path.Combine(dir, "gone.c"), "volatile int sink;\nvoid ebpfps_marker(void) { for (int i = 0; i < 3; i++) sink += i; }\nint main(void) { ebpfps_marker(); return 0; }\n");
                string program = Path.Combine(dir, "ebpfps-gone");
                Run("cc", "-O0", "-g", "-Wl,--build-id", "-o", program, Path.Combine(dir, "gone.c"));
                using var child = Process.Start(program)!;
                child.WaitForExit();
                int gone = child.Id;

                // libc: found among the files of the processes running (this one maps it)
                string libc = File.ReadLines("/proc/self/maps").Select(ProcessMapping.Parse).OfType<ProcessMapping>().First(m => m.Path.EndsWith("/libc.so.6")).Path;
                ulong getppid = FileOffsetOf(libc, "getppid");
                var inLibc = new Symbolizer(RecordedKernel).BuildIdFrame(gone, BuildIds.Read(libc)!, getppid + 4, isReturnAddress: true);
                Assert.Equal($"getppid+0x4 ({libc})", inLibc.ToString());
                Assert.Equal(0UL, inLibc.Address);
                Assert.Equal(getppid + 4, inLibc.FileOffset);

                // its program: by its command's name on the PATH, and nowhere else
                ulong marker = FileOffsetOf(program, "ebpfps_marker");
                string id = BuildIds.Read(program)!;
                Assert.Equal($"+0x{marker + 8:x}", new Symbolizer(RecordedKernel).BuildIdFrame(gone, id, marker + 8, command: "ebpfps-gone").ToString());
                Environment.SetEnvironmentVariable("PATH", $"{path}:{dir}");
                Assert.Equal($"ebpfps_marker+0x8 ({program})", new Symbolizer(RecordedKernel).BuildIdFrame(gone, id, marker + 8, command: "ebpfps-gone").ToString());
            }
            finally
            {
                Environment.SetEnvironmentVariable("PATH", path);
                Directory.Delete(dir, recursive: true);
            }
        }

        private static ulong FileOffsetOf(string file, string function)
        {
            var elf = ElfSymbols.TryRead(file)!;
            return elf.FileOffset(elf.Functions.First(f => f.Name == function).Address)!.Value;
        }

        [Fact]
        public void Anonymous_code_is_named_by_the_process_perf_map_and_unknown_without_one()
        {
            string map = Path.Combine(Path.GetTempPath(), $"ebpfps-perf-{Guid.NewGuid():N}.map");
            File.WriteAllText(map, "7f0000001000 40 [System.Private.CoreLib] System.String::Concat(string,string)[Optimized]\n" +
                                   "0x7f0000002000 0x20 Program::<Main>$(string[])\n");
            try
            {
                var perfMap = PerfMap.Read(map)!;
                Assert.Equal(("[System.Private.CoreLib] System.String::Concat(string,string)[Optimized]", 0x3fUL), perfMap.Find(0x7f000000103f));
                Assert.Null(perfMap.Find(0x7f0000001040)); // past its size
                Assert.Equal(("Program::<Main>$(string[])", 0UL), perfMap.Find(0x7f0000002000));
                Assert.Null(perfMap.Find(0x7f0000000fff));
            }
            finally { File.Delete(map); }
        }

        [Fact]
        public void Lines_of_proc_maps_parse_with_their_offsets_and_kernel_areas()
        {
            var library = ProcessMapping.Parse("7f2a4c628000-7f2a4c7bd000 r-xp 00028000 fd:01 1835060                    /usr/lib/x86_64-linux-gnu/libc.so.6")!.Value;
            Assert.Equal((0x7f2a4c628000UL, 0x7f2a4c7bd000UL, true, 0x28000UL, "fd:01", 1835060UL), (library.Start, library.End, library.Executable, library.Offset, library.Device, library.Inode));
            Assert.Equal("/usr/lib/x86_64-linux-gnu/libc.so.6", library.Path);
            Assert.True(library.IsFile);
            var anonymous = ProcessMapping.Parse("7f2a40000000-7f2a40021000 rwxp 00000000 00:00 0 ")!.Value;
            Assert.Equal("", anonymous.Path);
            Assert.False(anonymous.IsFile);
            Assert.False(ProcessMapping.Parse("7ffd1b5f2000-7ffd1b5f4000 r-xp 00000000 00:00 0                          [vdso]")!.Value.IsFile);
            Assert.Null(ProcessMapping.Parse("garbage"));
        }

        private static void Run(string file, params string[] arguments)
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{file} failed: {errors}");
        }
    }
}
