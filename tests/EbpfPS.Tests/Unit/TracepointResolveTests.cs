using System;
using System.IO;
using System.Linq;
using EbpfPS.Core;
using EbpfPS.Core.TraceFs;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Tracepoints.Resolve on a small tracefs of recorded formats: a named tracepoint is found by its own folder,
    /// a wildcard name within its category, a wildcard category across all, and nothing outside events/.</summary>
    public sealed class TracepointResolveTests : IDisposable
    {
        private readonly string _traceFs = Directory.CreateTempSubdirectory("ebpfps-tracefs-").FullName;

        public TracepointResolveTests()
        {
            Add("sock", "inet_sock_set_state");
            Add("ext4", "ext4_fc_stats");
            Directory.CreateDirectory(Path.Combine(_traceFs, "events", "sock", "no_format")); // a folder without a format is no tracepoint
            File.WriteAllText(Path.Combine(_traceFs, "format"), Recorded.Text("formats/sock.inet_sock_set_state.format"));
        }

        private void Add(string category, string name)
        {
            string folder = Directory.CreateDirectory(Path.Combine(_traceFs, "events", category, name)).FullName;
            File.WriteAllText(Path.Combine(folder, "format"), Recorded.Text($"formats/{category}.{name}.format"));
        }

        public void Dispose() => Directory.Delete(_traceFs, recursive: true);

        [Theory]
        [InlineData("sock:inet_sock_set_state", "sock:inet_sock_set_state")]
        [InlineData("sock:inet_*", "sock:inet_sock_set_state")]
        [InlineData("sock:*", "sock:inet_sock_set_state")]
        [InlineData("*:ext4_fc_stats", "ext4:ext4_fc_stats")]
        [InlineData("*:*", "ext4:ext4_fc_stats,sock:inet_sock_set_state")]
        [InlineData("sock/inet_sock_set_state", "sock:inet_sock_set_state")]
        public void Finds_the_tracepoints_a_pattern_names(string pattern, string expected) =>
            Assert.Equal(expected.Split(','), Tracepoints.Resolve(_traceFs, pattern).Select(f => f.FullName));

        [Theory]
        [InlineData("sock:no_format")]
        [InlineData("sock:inet_sock_set_stat")]
        [InlineData("Sock:inet_sock_set_state")]
        [InlineData("nothere:*")]
        [InlineData("..:format")]
        [InlineData("..:*")]
        [InlineData("sock:../../format")]
        public void A_pattern_that_names_no_tracepoint_is_TracepointNotFound(string pattern)
        {
            var e = Assert.Throws<BpfException>(() => Tracepoints.Resolve(_traceFs, pattern));
            Assert.Equal(BpfErrorIds.TracepointNotFound, e.ErrorId);
        }
    }
}
