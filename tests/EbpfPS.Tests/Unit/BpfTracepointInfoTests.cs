using System.Linq;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>What Get-BpfTracepoint writes for recorded formats.</summary>
    public class BpfTracepointInfoTests
    {
        [Fact]
        public void Inet_sock_set_state_lists_its_own_fields_with_names_and_addresses()
        {
            var info = BpfTracepointInfo.From(RecordedFormats.Read("sock", "inet_sock_set_state"));

            Assert.Equal("sock:inet_sock_set_state", info.Name);
            Assert.Equal("sock", info.Category);
            Assert.Equal(2287, info.Id);
            Assert.Equal(11, info.Fields.Count);
            Assert.StartsWith("\"family=%s", info.PrintFormat);

            var newstate = info.Fields.Single(f => f.Name == "newstate");
            Assert.Equal(("int", 20, 4, true, 0), (newstate.Type, newstate.Offset, newstate.Size, newstate.Signed, newstate.ArrayLength));
            Assert.Equal("TCP_LISTEN", newstate.Symbols![10]);
            Assert.Null(newstate.FlagNames);
            Assert.Equal("", newstate.Address);

            var saddr = info.Fields.Single(f => f.Name == "saddr_v6");
            Assert.Equal(("__u8", 40, 16, 16, "IPv6"), (saddr.Type, saddr.Offset, saddr.Size, saddr.ArrayLength, saddr.Address));
            Assert.Null(saddr.Symbols);
        }

        [Fact]
        public void Flag_names_keep_the_format_order()
        {
            var info = BpfTracepointInfo.From(RecordedFormats.Read("filelock", "posix_lock_inode"));
            var flags = info.Fields.Single(f => f.Name == "flags").FlagNames!;
            Assert.Equal(("FL_POSIX", 1UL), (flags[0].Value, flags[0].Key));
            Assert.Equal(("FL_RECLAIM", 4096UL), (flags[^1].Value, flags[^1].Key));
        }
    }
}
