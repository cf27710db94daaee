using System.IO;
using EbpfPS.Probes.Syscalls;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    public class SyscallNumbersTests
    {
        [Fact]
        public void The_header_lines_give_name_and_number_and_nothing_else_counts()
        {
            var numbers = SyscallNumbers.Parse(new StringReader(
                "#define __NR_getppid 110\n#define __NR_openat 257\n#define __NR_syscalls (__NR_openat + 1)\n#define _ASM_UNISTD_64_H 1\n"));
            Assert.Equal(2, numbers.Count);
            Assert.Equal(110, numbers["getppid"]);
            Assert.Equal(257, numbers["openat"]);
        }

        [Theory]
        [InlineData("getppid", 110)]
        [InlineData("openat", 257)]
        [InlineData("newfstat", 5)]      // tracefs's name of fstat
        [InlineData("sendfile64", 40)]
        [InlineData("umount", 166)]      // umount2 on x86-64
        public void The_embedded_table_knows_x86_64_numbers_by_tracefs_names(string name, int number) =>
            Assert.Equal(number, SyscallNumbers.Of(name));

        [Fact]
        public void A_name_without_a_number_is_null() => Assert.Null(SyscallNumbers.Of("nosuchcall"));
    }
}
