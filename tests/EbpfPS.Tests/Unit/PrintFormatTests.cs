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
        public void A_star_precision_takes_an_argument_of_its_own()
        {
            var print = RecordedFormats.Read("xfs", "xfs_da_split").Print;
            Assert.Equal(10, print.Arguments.Count);
            Assert.Equal(10, print.ArgumentsTaken);

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
        public void No_format_string_gives_nothing()
        {
            var print = PrintFormat.Parse("");
            Assert.Empty(print.Arguments);
            Assert.Empty(print.Symbols);
        }
    }
}
