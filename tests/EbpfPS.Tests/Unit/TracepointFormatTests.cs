using System.IO;
using System.Linq;
using EbpfPS.Core.TraceFs;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    public class TracepointFormatTests
    {
        [Fact]
        public void Inet_sock_set_state_has_its_id_fields_and_print_format()
        {
            var format = RecordedFormats.Read("sock", "inet_sock_set_state");

            Assert.Equal("sock:inet_sock_set_state", format.FullName);
            Assert.Equal(2287, format.Id);
            Assert.Equal(15, format.Fields.Count);
            Assert.Equal(new[] { "skaddr", "oldstate", "newstate", "sport", "dport", "family", "protocol", "saddr", "daddr", "saddr_v6", "daddr_v6" },
                format.OwnFields.Select(f => f.Name));
            Assert.Equal(72, format.FixedSize);
            Assert.StartsWith("\"family=%s protocol=%s sport=%hu", format.Print.Text);
            Assert.EndsWith("{ 12, \"TCP_NEW_SYN_RECV\" })", format.Print.Text);
        }

        [Fact]
        public void A_print_format_with_a_raw_newline_is_read_to_its_end()
        {
            var format = RecordedFormats.Read("ext4", "ext4_fc_stats");

            Assert.Contains("fc ineligible reasons:\n%s:%u, %s:%u", format.Print.Text);
            Assert.EndsWith("REC->fc_numblks", format.Print.Text);
            Assert.Equal(25, format.Print.Arguments.Count);
            Assert.Equal(25, format.Print.ArgumentsTaken);
        }

        [Fact]
        public void A_format_without_an_id_is_invalid_data() =>
            Assert.Throws<InvalidDataException>(() => TracepointFormat.Parse("x", "name: y\nformat:\n"));
    }
}
