using EbpfPS.Core;
using EbpfPS.Core.Objects;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>A registration writes down each attachment that is no link, for Unregister-BpfProgram in another process
    /// to read back and undo; a record it cannot read says which and what to do, with an error id.</summary>
    public class AttachmentRecordTests
    {
        [Fact]
        public void Each_kind_of_record_reads_back_as_written()
        {
            NonLinkAttachment[] written =
            {
                new TcFilterAttachment("drop_icmp", "veth0", 7, true, 1, 49152, ProgramId: 42, NetworkNamespace: 4026531840),
                new SocketMapAttachment("count_msg", "sock_map", 7),
            };
            foreach (var attachment in written)
                Assert.Equal(attachment, NonLinkAttachment.Parse(attachment.Program, attachment.Text, "/sys/fs/bpf/r/attachments/x"));
        }

        [Fact]
        public void A_tc_record_of_an_earlier_version_reads_without_program_id_and_namespace()
        {
            var read = NonLinkAttachment.Parse("drop_icmp", "tc dev=veth0 ifindex=7 direction=ingress handle=1 priority=49152", "/r");
            Assert.Equal(new TcFilterAttachment("drop_icmp", "veth0", 7, false, 1, 49152), read);
        }

        [Theory]
        [InlineData("xdp_hw dev=eth0", "of no kind this version of EbpfPS knows")]
        [InlineData("tc dev=veth0 ifindex=7 direction=egress priority=1", "has no handle")]
        [InlineData("tc dev=veth0 ifindex=seven direction=egress handle=1 priority=1", "its ifindex is no number")]
        [InlineData("sockmap map=m attach_type=-1", "its attach_type is no number")]
        [InlineData("", "of no kind")]
        public void A_record_it_cannot_read_is_an_error_naming_the_record_and_what_to_do(string text, string why)
        {
            const string path = "/sys/fs/bpf/ebpfps/registered/web/attachments/drop_icmp";
            var e = Assert.Throws<BpfException>(() => NonLinkAttachment.Parse("drop_icmp", text, path));
            Assert.Equal(BpfErrorIds.BpfRegistrationRecordInvalid, e.ErrorId);
            Assert.Contains(why, e.Message);
            Assert.Contains(path, e.Message);
            Assert.Contains($"Remove-Item {path}", e.Hint);
        }
    }
}
