using System.Collections.Specialized;
using EbpfPS.Probes.Syscalls;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    public class SyscallArgumentNamesTests
    {
        // The values as x86-64 calls make them, and their names as strace prints them.
        [Theory]
        [InlineData("openat", "flags", 0x80000L, "O_RDONLY|O_CLOEXEC")]
        [InlineData("openat", "flags", 0x80241L, "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC")]
        [InlineData("openat", "flags", 0x90800L, "O_RDONLY|O_NONBLOCK|O_DIRECTORY|O_CLOEXEC")]
        [InlineData("open", "flags", 0x101002L, "O_RDWR|O_SYNC")]
        [InlineData("openat", "flags", 0x410002L, "O_RDWR|O_TMPFILE")]
        [InlineData("openat", "mode", 0x1a0L, "0640")]
        [InlineData("openat", "mode", 0L, "0")]
        [InlineData("openat", "dfd", -100L, "AT_FDCWD")]
        [InlineData("unlinkat", "dfd", 3L, "3")]
        [InlineData("access", "mode", 0L, "F_OK")]
        [InlineData("faccessat2", "mode", 5L, "R_OK|X_OK")]
        [InlineData("faccessat2", "flags", 0x200L, "AT_EACCESS")]
        [InlineData("mmap", "prot", 3L, "PROT_READ|PROT_WRITE")]
        [InlineData("mprotect", "prot", 0L, "PROT_NONE")]
        [InlineData("mmap", "flags", 0x22L, "MAP_PRIVATE|MAP_ANONYMOUS")]
        [InlineData("mmap", "flags", 0x812L, "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE")]
        [InlineData("mmap", "fd", 0xffffffffL, "-1")]
        [InlineData("clone", "clone_flags", 0x1200011L, "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD")]
        [InlineData("clone", "clone_flags", 0x3d0f00L, "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID")]
        [InlineData("clone", "clone_flags", 0L, "0")]
        [InlineData("socket", "family", 10L, "AF_INET6")]
        [InlineData("socket", "type", 0x80001L, "SOCK_STREAM|SOCK_CLOEXEC")]
        [InlineData("socket", "type", 0x802L, "SOCK_DGRAM|SOCK_NONBLOCK")]
        [InlineData("kill", "sig", 15L, "SIGTERM")]
        [InlineData("kill", "sig", 0L, "0")]
        [InlineData("tgkill", "sig", 6L, "SIGABRT")]
        [InlineData("rt_sigqueueinfo", "sig", 36L, "SIGRTMIN+2")]
        [InlineData("openat", "flags", 0x40000000L, "O_RDONLY|0x40000000")]
        public void Names_well_known_numbers(string syscall, string argument, long value, string expected)
        {
            var namer = SyscallArgumentNames.For(syscall, argument);
            Assert.NotNull(namer);
            Assert.Equal(expected, namer(value));
        }

        [Theory]
        [InlineData("write", "count")]
        [InlineData("read", "flags")]
        [InlineData("openat", "filename")]
        public void Leaves_other_arguments_as_numbers(string syscall, string argument) =>
            Assert.Null(SyscallArgumentNames.For(syscall, argument));

        [Fact]
        public void Arguments_are_their_text_as_a_string_and_keep_their_values()
        {
            var arguments = new BpfArguments(2) { { "fd", 1 }, { "count", 12UL } };
            Assert.Equal("fd=1, count=12", arguments.ToString());
            Assert.Equal(12UL, arguments["COUNT"]);
            arguments.Text = "fd=1, count=12 (decoded)";
            Assert.Equal("fd=1, count=12 (decoded)", arguments.ToString());
            Assert.IsAssignableFrom<OrderedDictionary>(arguments);
        }

        [Fact]
        public void A_command_line_quotes_what_a_shell_would_split()
        {
            var argv = new BpfCommandLine(new[] { "/bin/echo", "alpha", "beta gamma", "it's", "" });
            Assert.Equal("/bin/echo alpha 'beta gamma' 'it'\\''s' ''", argv.ToString());
            Assert.Equal("beta gamma", argv[2]);
        }
    }
}
