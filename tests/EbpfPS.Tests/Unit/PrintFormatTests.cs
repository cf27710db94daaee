using System.Linq;
using EbpfPS.Core.TraceFs;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    public class PrintFormatTests
    {
        [Fact]
        public void Inet_sock_set_state_names_states_families_protocols_and_marks_addresses()
        {
            var print = RecordedFormats.Read("sock", "inet_sock_set_state").Print;

            Assert.Equal("TCP_ESTABLISHED", print.Symbols["newstate"][1]);
            Assert.Equal("TCP_NEW_SYN_RECV", print.Symbols["oldstate"][12]);
            Assert.Equal(12, print.Symbols["newstate"].Count);
            Assert.Equal("AF_INET6", print.Symbols["family"][10]);
            Assert.Equal("IPPROTO_MPTCP", print.Symbols["protocol"][262]);
            Assert.Equal(4, print.Addresses["saddr"]);
            Assert.Equal(4, print.Addresses["daddr"]);
            Assert.Equal(6, print.Addresses["saddr_v6"]);
            Assert.Equal(6, print.Addresses["daddr_v6"]);
            Assert.False(print.Addresses.ContainsKey("sport"));
            Assert.Equal(10, print.ArgumentsTaken);
        }

        [Fact]
        public void Flags_and_symbols_of_one_format_are_kept_apart()
        {
            var print = RecordedFormats.Read("filelock", "posix_lock_inode").Print;

            Assert.Equal(new[] { "F_RDLCK", "F_WRLCK", "F_UNLCK" }, print.Symbols["type"].OrderBy(p => p.Key).Select(p => p.Value));
            Assert.False(print.Symbols.ContainsKey("flags"));
            var flags = print.FlagNames["flags"];
            Assert.Equal("|", flags.Separator);
            Assert.Equal(12, flags.Masks.Count);
            Assert.Equal((4096UL, "FL_RECLAIM"), flags.Masks[^1]);
        }

        [Fact]
        public void A_star_precision_takes_an_argument_of_its_own()
        {
            var print = RecordedFormats.Read("xfs", "xfs_da_split").Print;
            Assert.Equal(10, print.Arguments.Count);
            Assert.Equal(10, print.ArgumentsTaken);
            Assert.Equal(new ulong[] { 1, 2, 4, 8, 16, 32, 64 }, print.FlagNames["op_flags"].Masks.Select(m => m.Mask)); // (1u << n)

            var shifted = PrintFormat.Parse("\"name=%.*s saddr=%pI4 pct=100%% daddr=%pI6c\", REC->len, __get_str(name), REC->saddr, REC->daddr");
            Assert.Equal(4, shifted.Addresses["saddr"]);
            Assert.Equal(6, shifted.Addresses["daddr"]);
            Assert.Equal(4, shifted.ArgumentsTaken);
        }

        [Fact]
        public void Adjacent_literals_make_one_format_string()
        {
            var print = RecordedFormats.Read("ftrace", "kernel_stack").Print;
            Assert.Equal(8, print.Format.Split("%ps").Length - 1);
            Assert.Equal(8, print.Arguments.Count);
            Assert.Equal(8, print.ArgumentsTaken);
        }

        [Fact]
        public void Symbols_are_read_from_their_own_call_only()
        {
            var print = PrintFormat.Parse("\"%s\", REC->a ? __print_symbolic(REC->b, { 1, \"ONE\" }) : __print_symbolic(REC->c, { (1 << 1), \"TWO\" }, { 0x10UL, \"SIXTEEN\" })");
            Assert.Equal("ONE", Assert.Single(print.Symbols["b"]).Value);
            Assert.Equal(new[] { 2L, 16L }, print.Symbols["c"].Keys.Order());
        }

        [Fact]
        public void Flags_with_a_mask_that_is_no_constant_are_left_as_numbers()
        {
            var print = PrintFormat.Parse("\"state=%s\", __print_flags(REC->state, \"|\", {I_DIRTY_SYNC, \"I_DIRTY_SYNC\"}, {4, \"I_NEW\"})");
            Assert.Empty(print.FlagNames);
        }

        [Fact]
        public void No_format_string_gives_nothing()
        {
            var print = PrintFormat.Parse("");
            Assert.Empty(print.Arguments);
            Assert.Empty(print.Symbols);
        }
    }
}
