using System.Net;
using System;
using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Xdp;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>The small parts around the filter, on recorded inputs: the SSH session's own packets and when
    /// a change cuts them, bpffs in mountinfo, interface names, native-mode hints, and a rule's map record.</summary>
    public class XdpSupportTests
    {
        private static XdpRule Rule(uint id, XdpAction action, string? protocol = null, string? source = null, string? destinationPort = null) =>
            XdpRuleParser.Parse(action, protocol, source, destinationPort: destinationPort) with { Id = id };

        [Theory]
        [InlineData("10.0.0.5 51234 10.0.0.2 22", "10.0.0.5", 51234, "10.0.0.2", 22)]
        [InlineData("fd00::5 40000 fd00::2 2222", "fd00::5", 40000, "fd00::2", 2222)]
        [InlineData("fe80::5%eth0 40000 fe80::2%eth0 22", "fe80::5", 40000, "fe80::2", 22)]
        [InlineData("::ffff:10.0.0.5 40000 ::ffff:10.0.0.2 22", "10.0.0.5", 40000, "10.0.0.2", 22)]
        public void Ssh_connection_names_the_session_packets_as_they_arrive(string value, string client, int clientPort, string server, int serverPort)
        {
            var packet = SessionTraffic.FromSshConnection(value)!.Value;
            Assert.Equal(IPAddress.Parse(client), packet.Source);
            Assert.Equal(IPAddress.Parse(server), packet.Destination);
            Assert.Equal((ushort)clientPort, packet.SourcePort);
            Assert.Equal((ushort)serverPort, packet.DestinationPort);
            Assert.Equal(IpProtocols.Tcp, packet.Protocol);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("10.0.0.5 51234 10.0.0.2")]
        [InlineData("10.0.0.5 x 10.0.0.2 22")]
        public void Without_a_usable_ssh_connection_there_is_no_session_traffic(string? value) =>
            Assert.Null(SessionTraffic.FromSshConnection(value));

        [Fact]
        public void A_change_cuts_the_session_only_when_it_turns_its_packets_from_passed_to_dropped()
        {
            var session = SessionTraffic.FromSshConnection("10.0.0.5 51234 10.0.0.2 22");
            var admin = Rule(1, XdpAction.Pass, source: "10.0.0.0/24");
            var ssh = Rule(2, XdpAction.Drop, "Tcp", destinationPort: "22");
            var icmp = Rule(3, XdpAction.Drop, "Icmp");

            Assert.Contains("Drop Tcp to any port 22", SessionTraffic.CutBy(new XdpRule[0], new[] { ssh }, session));
            Assert.Null(SessionTraffic.CutBy(new[] { admin }, new[] { admin, ssh }, session));   // the admin network's Pass comes first
            Assert.NotNull(SessionTraffic.CutBy(new[] { admin, ssh }, new[] { ssh }, session));  // removing it exposes the Drop
            Assert.Null(SessionTraffic.CutBy(new XdpRule[0], new[] { icmp }, session));
            Assert.Null(SessionTraffic.CutBy(new[] { ssh }, new[] { ssh, icmp }, session));       // already cut: nothing new
            Assert.Null(SessionTraffic.CutBy(new XdpRule[0], new[] { ssh }, null));
        }

        [Fact]
        public void Bpffs_is_mounted_when_the_last_mount_on_sys_fs_bpf_is_of_type_bpf()
        {
            const string sysfs = "22 28 0:20 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw";
            const string bpffs = "35 22 0:30 / /sys/fs/bpf rw,nosuid,nodev,noexec,relatime shared:14 - bpf bpf rw,mode=700";
            const string tmpfs = "90 35 0:45 / /sys/fs/bpf rw,relatime - tmpfs tmpfs rw";
            const string elsewhere = "91 22 0:46 / /mnt/bpf rw,relatime - bpf bpf rw";
            Assert.True(BpfFs.IsMounted(new[] { sysfs, bpffs }));
            Assert.False(BpfFs.IsMounted(new[] { sysfs }));
            Assert.False(BpfFs.IsMounted(new[] { sysfs, bpffs, tmpfs }));
            Assert.False(BpfFs.IsMounted(new[] { sysfs, elsewhere }));
        }

        [Theory]
        [InlineData("eth0", true)]
        [InlineData("veth-a.100", true)]
        [InlineData("abcdefghijklmno", true)]
        [InlineData("abcdefghijklmnop", false)]
        [InlineData("", false)]
        [InlineData(".", false)]
        [InlineData("..", false)]
        [InlineData("../etc", false)]
        [InlineData("eth0:1", false)]
        [InlineData("eth 0", false)]
        public void Interface_names_follow_the_kernels_rules_and_are_safe_as_pin_directories(string name, bool valid) =>
            Assert.Equal(valid, Interfaces.IsValidName(name));

        [Fact]
        public void Native_mode_hints_say_how_to_turn_virtio_net_offloads_off()
        {
            string virtio = XdpNativeModeHint.For("eth0", "virtio_net");
            Assert.Contains("GRO_HW", virtio);
            Assert.Contains("ethtool -K eth0 rx-gro-hw off", virtio);
            Assert.Contains("guest_csum=off", virtio);
            Assert.Contains("csum='off'", virtio);
            Assert.Contains("(ifb)", XdpNativeModeHint.For("ifb0", "ifb"));
            Assert.Contains("no native XDP support", XdpNativeModeHint.For("lo", null));
        }

        [Fact]
        public void A_rule_survives_its_map_record()
        {
            var rule = XdpRuleParser.Parse(XdpAction.Drop, "Tcp", "fd00:1::/32", "fd00::2", "1024", "22")
                with { Id = 42, Slot = 7, AddedAt = new DateTime(2025, 1, 2, 3, 4, 5, 678, DateTimeKind.Local) };
            Assert.Equal(rule, XdpRuleRecord.To(XdpRuleRecord.From(rule), 7));
            var any = new XdpRule { Id = 1, Action = XdpAction.Pass, AddedAt = rule.AddedAt };
            Assert.Equal(any, XdpRuleRecord.To(XdpRuleRecord.From(any), 0));
            var zeroPort = XdpRuleParser.Parse(XdpAction.Drop, "Udp", destinationPort: "0") with { AddedAt = rule.AddedAt };
            Assert.Equal((ushort)0, XdpRuleRecord.To(XdpRuleRecord.From(zeroPort), 0).DestinationPort);
        }
    }
}
