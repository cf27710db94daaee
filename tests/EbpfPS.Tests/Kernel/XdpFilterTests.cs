using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using EbpfPS.Tests.Support;
using EbpfPS.Xdp;
using Xunit;
using EbpfPS.Bpf;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>Add-, Get- and Remove-BpfXdpFilter on a veth pair between two network namespaces the test
    /// creates: the sender pings and connects, the receiver's end carries the filter. Each test asserts on
    /// the traffic it sent and leaves no namespace, pin or program behind.</summary>
    public class XdpFilterTests : IClassFixture<KernelLeakCheck>
    {
        private const int EchoRequestBytes = 14 + 20 + 8 + 56, EchoRequestBytesV6 = 14 + 40 + 8 + 56;

        /// <summary>Runs a script in the receiver's namespace, where the filtered interface is.</summary>
        private static ModuleSession.Result InReceiver(VethPair pair, ModuleSession session, string script)
        {
            using (NetworkNamespace.Enter(pair.Receiver))
                return session.Run($"$if = '{pair.ReceiverInterface}'\n{script}");
        }

        private static BpfXdpFilter Filter(VethPair pair, ModuleSession session)
        {
            var result = InReceiver(pair, session, "Get-BpfXdpFilter -Interface $if");
            result.NoErrors();
            return result.Single<BpfXdpFilter>();
        }

        private static bool ProgramLoaded(int id)
        {
            var deadline = DateTime.UtcNow.AddSeconds(3); // the kernel frees a program after an RCU grace period
            while (true)
            {
                bool loaded = Bpftool.Json("prog show").EnumerateArray().Any(p => p.GetProperty("id").GetInt32() == id);
                if (!loaded || DateTime.UtcNow > deadline) return loaded;
                Thread.Sleep(20);
            }
        }

        private static void AssertRemovedWithoutTrace(VethPair pair, ModuleSession session, int programId)
        {
            InReceiver(pair, session, "Remove-BpfXdpFilter -Interface $if -Confirm:$false").NoErrors();
            Assert.False(Directory.Exists(XdpPins.Directory(pair.ReceiverInterface)), "the pins are gone");
            Assert.False(ProgramLoaded(programId), $"program {programId} is unloaded");
            Assert.DoesNotContain("xdp", VethPair.Run("ip", $"-n {pair.Receiver} link show {pair.ReceiverInterface}"));
        }

        [XdpFact]
        public void Icmp_is_dropped_while_tcp_and_udp_pass_and_the_rule_counts_each_echo_request()
        {
            using var pair = new VethPair();
            using var session = new ModuleSession();
            Assert.Equal(3, pair.Ping(pair.ReceiverV4));

            var added = InReceiver(pair, session, "Add-BpfXdpFilter -Interface $if -Protocol Icmp -Action Drop -Confirm:$false -PassThru");
            added.NoErrors();
            var rule = added.Single<BpfXdpRule>();
            Assert.Equal((1, XdpAction.Drop, "Icmp", 0UL), (rule.RuleId, rule.Action, rule.Protocol, rule.Packets));

            Assert.Equal(0, pair.Ping(pair.ReceiverV4, count: 5));
            Assert.True(pair.TcpWorks(pair.ReceiverV4, 8080));
            Assert.Equal(3, pair.UdpDelivered(pair.ReceiverV4, 5353));

            var filter = Filter(pair, session);
            Assert.Equal((XdpMode.Native, true), (filter.Mode, filter.Attached));
            var counted = Assert.Single(filter.Rules);
            Assert.Equal((5UL, 5UL * EchoRequestBytes), (counted.Packets, counted.Bytes));
            Assert.Equal(5UL, filter.DroppedPackets);
            Assert.True(filter.PassedPackets >= 3 + 3, "TCP and UDP passed");
            Assert.Equal(0UL, filter.MalformedPackets);
            Assert.Contains($"xdp id {filter.ProgramId}", VethPair.Run("ip", $"-n {pair.Receiver} link show {pair.ReceiverInterface}"));

            AssertRemovedWithoutTrace(pair, session, filter.ProgramId);
            Assert.Equal(3, pair.Ping(pair.ReceiverV4));
        }

        [XdpFact]
        public void Cidr_and_port_rules_decide_most_specific_first()
        {
            using var pair = new VethPair();
            using var session = new ModuleSession();
            var bytes = pair.SenderV4.GetAddressBytes();
            string subnet = $"{bytes[0]}.{bytes[1]}.{bytes[2]}.0/24";
            InReceiver(pair, session, $@"
                Add-BpfXdpFilter -Interface $if -Protocol Icmp -Action Drop -Confirm:$false
                Add-BpfXdpFilter -Interface $if -Protocol Icmp -SourceAddress {pair.SecondSenderV4} -Action Pass
                Add-BpfXdpFilter -Interface $if -Protocol Tcp -DestinationPort 8081 -Action Drop
                Add-BpfXdpFilter -Interface $if -Protocol Udp -SourceAddress {subnet} -DestinationPort 5354 -Action Drop").NoErrors();

            Assert.Equal(0, pair.Ping(pair.ReceiverV4, count: 2, from: pair.SenderV4));
            Assert.Equal(3, pair.Ping(pair.ReceiverV4, count: 3, from: pair.SecondSenderV4));
            Assert.False(pair.TcpWorks(pair.ReceiverV4, 8081));
            Assert.True(pair.TcpWorks(pair.ReceiverV4, 8080));
            Assert.Equal(0, pair.UdpDelivered(pair.ReceiverV4, 5354));
            Assert.Equal(3, pair.UdpDelivered(pair.ReceiverV4, 5353));

            var filter = Filter(pair, session);
            Assert.Equal(new[] { 2, 4, 3, 1 }, filter.Rules.Select(r => r.RuleId));           // /32, /24, then Tcp port, then Icmp
            Assert.Equal(new[] { 0, 1, 2, 3 }, filter.Rules.Select(r => r.Priority));
            Assert.Equal(new ulong[] { 3, 3, 2 }, filter.Rules.Where(r => r.RuleId != 3).Select(r => r.Packets));
            Assert.InRange(filter.Rules[2].Packets, 1UL, 2UL); // the SYN, and maybe its retransmission before the connect gives up
            Assert.Equal($"{pair.SecondSenderV4}/32", filter.Rules[0].SourceAddress);
            Assert.Equal((subnet, 5354), (filter.Rules[1].SourceAddress, filter.Rules[1].DestinationPort));
            AssertRemovedWithoutTrace(pair, session, filter.ProgramId);
        }

        [XdpFact]
        public void Ipv6_and_icmpv6_are_filtered_by_prefix_and_port()
        {
            using var pair = new VethPair();
            using var session = new ModuleSession();
            string sender = pair.SenderV6.ToString(), network = sender.Replace("::1", "::/64");
            InReceiver(pair, session, $@"
                Add-BpfXdpFilter -Interface $if -Protocol IcmpV6 -SourceAddress {sender} -Action Drop -Confirm:$false
                Add-BpfXdpFilter -Interface $if -Protocol Tcp -SourceAddress {network} -DestinationPort 8082 -Action Drop").NoErrors();

            Assert.Equal(0, pair.Ping(pair.ReceiverV6, count: 4));
            Assert.Equal(3, pair.Ping(pair.ReceiverV4));
            Assert.False(pair.TcpWorks(pair.ReceiverV6, 8082));
            Assert.True(pair.TcpWorks(pair.ReceiverV6, 8080));
            Assert.Equal(3, pair.UdpDelivered(pair.ReceiverV6, 5353));

            var filter = Filter(pair, session);
            var icmp = filter.Rules.Single(r => r.RuleId == 1);
            Assert.Equal(($"{sender}/128", 4UL, 4UL * EchoRequestBytesV6), (icmp.SourceAddress, icmp.Packets, icmp.Bytes));
            Assert.Equal(network, filter.Rules.Single(r => r.RuleId == 2).SourceAddress);
            AssertRemovedWithoutTrace(pair, session, filter.ProgramId);
        }

        [XdpFact]
        public void Removing_a_rule_restores_its_traffic_and_an_empty_filter_passes_everything()
        {
            using var pair = new VethPair();
            using var session = new ModuleSession();
            InReceiver(pair, session, @"
                Add-BpfXdpFilter -Interface $if -Protocol Icmp -Action Drop -Confirm:$false
                Add-BpfXdpFilter -Interface $if -Protocol Tcp -DestinationPort 8081 -Action Drop").NoErrors();
            Assert.Equal(0, pair.Ping(pair.ReceiverV4, count: 2));

            var removed = InReceiver(pair, session, "Remove-BpfXdpFilter -Interface $if -RuleId 1 -PassThru");
            removed.NoErrors();
            Assert.Equal((1, 2UL), (removed.Single<BpfXdpRule>().RuleId, removed.Single<BpfXdpRule>().Packets));
            Assert.Equal(3, pair.Ping(pair.ReceiverV4));
            Assert.False(pair.TcpWorks(pair.ReceiverV4, 8081));

            // Rules piped from Get-BpfXdpFilter bind by property name: the interface and the rule id.
            InReceiver(pair, session, "(Get-BpfXdpFilter $if).Rules | Remove-BpfXdpFilter").NoErrors();
            var empty = Filter(pair, session);
            Assert.Empty(empty.Rules);
            Assert.True(empty.Attached);
            Assert.True(pair.TcpWorks(pair.ReceiverV4, 8081));
            AssertRemovedWithoutTrace(pair, session, empty.ProgramId);
        }

        [XdpFact]
        public void The_filter_outlives_the_process_that_added_it_and_other_processes_read_and_change_it()
        {
            using var pair = new VethPair();
            string module = Path.Combine(ModuleSession.RepoRoot, "out", "EbpfPS", "EbpfPS.psd1");
            string InOtherProcess(string script) => VethPair.Run("nsenter",
                $"--net=/run/netns/{pair.Receiver} pwsh -NoProfile -Command \"Import-Module {module}; {script.Replace("\"", "\\\"")}\"");

            InOtherProcess($"Add-BpfXdpFilter -Interface {pair.ReceiverInterface} -Protocol Icmp -Action Drop -Confirm:$false");
            // That process is gone: only the pins hold the program, and it still drops.
            Assert.Equal(0, pair.Ping(pair.ReceiverV4, count: 4));

            var dump = Bpftool.Json($"map dump pinned {XdpPins.Directory(pair.ReceiverInterface)}/xdpf_counters");
            Assert.Equal(4UL, CounterOfSlot0(dump));

            string read = InOtherProcess($"$f = Get-BpfXdpFilter {pair.ReceiverInterface}; '{{0}} {{1}} {{2}}' -f $f.Rules[0].RuleId, $f.Rules[0].Packets, $f.DroppedPackets");
            Assert.Equal("1 4 4", read.Trim());

            InOtherProcess($"Add-BpfXdpFilter -Interface {pair.ReceiverInterface} -Protocol Icmp -SourceAddress {pair.SecondSenderV4} -Action Pass");
            Assert.Equal(2, pair.Ping(pair.ReceiverV4, count: 2, from: pair.SecondSenderV4));

            using var session = new ModuleSession();
            var filter = Filter(pair, session);
            Assert.Equal(new[] { 2, 1 }, filter.Rules.Select(r => r.RuleId));
            InOtherProcess($"Remove-BpfXdpFilter -Interface {pair.ReceiverInterface} -Confirm:$false");
            Assert.False(Directory.Exists(XdpPins.Directory(pair.ReceiverInterface)));
            Assert.False(ProgramLoaded(filter.ProgramId));
            Assert.Equal(3, pair.Ping(pair.ReceiverV4));
        }

        /// <summary>Sums slot 0 of `bpftool map dump --json` of the per-CPU counters (packets: the first u64 of each CPU's value).</summary>
        private static ulong CounterOfSlot0(System.Text.Json.JsonElement dump)
        {
            var slot0 = dump.EnumerateArray().First(e => e.GetProperty("key").ToString() == "0" || e.GetProperty("key")[0].ToString() == "0x00");
            ulong packets = 0;
            foreach (var cpu in slot0.GetProperty("values").EnumerateArray())
            {
                var value = cpu.GetProperty("value");
                packets += value.ValueKind == System.Text.Json.JsonValueKind.Object
                    ? value.GetProperty("packets").GetUInt64()
                    : BitConverter.ToUInt64(value.EnumerateArray().Take(8).Select(b => Convert.ToByte(b.GetString(), 16)).ToArray());
            }
            return packets;
        }

        [XdpFact]
        public void A_foreign_xdp_program_is_left_alone_unless_force()
        {
            using var pair = new VethPair();
            using var session = new ModuleSession();
            string objectFile = Path.Combine(Path.GetTempPath(), $"ebpfps-foreign-{Environment.ProcessId}.o");
            File.WriteAllBytes(objectFile, FixtureObjects.Read("xdp_pass"));
            try
            {
                VethPair.Run("ip", $"-n {pair.Receiver} link set dev {pair.ReceiverInterface} xdpgeneric obj {objectFile} sec xdp");
                var refused = InReceiver(pair, session, "Add-BpfXdpFilter -Interface $if -Protocol Icmp -Action Drop -Confirm:$false");
                var error = Assert.Single(refused.Errors);
                Assert.Equal("XdpProgramExists,EbpfPS.Commands.AddBpfXdpFilterCommand", error.FullyQualifiedErrorId);
                Assert.Contains("xdp_pass", error.Exception.Message);
                Assert.Contains("-Force", error.ErrorDetails.RecommendedAction);
                Assert.False(Directory.Exists(XdpPins.Directory(pair.ReceiverInterface)));
                Assert.Equal(3, pair.Ping(pair.ReceiverV4));

                var forced = InReceiver(pair, session, "Add-BpfXdpFilter -Interface $if -Protocol Icmp -Action Drop -Force");
                forced.NoErrors();
                Assert.Contains(forced.Warnings, w => w.Contains("Replacing the XDP program 'xdp_pass'"));
                Assert.Equal(0, pair.Ping(pair.ReceiverV4, count: 2));
                AssertRemovedWithoutTrace(pair, session, Filter(pair, session).ProgramId);
            }
            finally
            {
                File.Delete(objectFile);
            }
        }

        [XdpFact]
        public void Where_native_xdp_is_refused_the_filter_falls_back_to_generic_mode_with_a_warning()
        {
            using var pair = new VethPair();
            using var session = new ModuleSession();
            VethPair.Run("ip", $"-n {pair.Receiver} link add {pair.ReceiverInterface}i type ifb");
            string ifb = pair.ReceiverInterface + "i";
            try
            {
                var native = InReceiver(pair, session, $"Add-BpfXdpFilter -Interface {ifb} -Protocol Icmp -Action Drop -Mode Native -Confirm:$false");
                Assert.Equal("XdpNativeModeNotSupported,EbpfPS.Commands.AddBpfXdpFilterCommand", Assert.Single(native.Errors).FullyQualifiedErrorId);
                // The driver by name where ethtool knows it (5.10's ifb does not answer ethtool -i).
                Assert.Matches($@"^The driver of {ifb} (\(ifb\) )?has no native XDP support", native.Errors[0].ErrorDetails.RecommendedAction);
                Assert.False(Directory.Exists(XdpPins.Directory(ifb)));

                var fallback = InReceiver(pair, session, $"Add-BpfXdpFilter -Interface {ifb} -Protocol Icmp -Action Drop -Confirm:$false; Get-BpfXdpFilter {ifb}");
                fallback.NoErrors();
                Assert.Contains(fallback.Warnings, w => w.Contains($"{ifb} refused native XDP") && w.Contains("generic mode"));
                Assert.Equal(XdpMode.Generic, fallback.Single<BpfXdpFilter>().Mode);
                InReceiver(pair, session, $"Remove-BpfXdpFilter {ifb} -Confirm:$false").NoErrors();

                var generic = InReceiver(pair, session, "Add-BpfXdpFilter -Interface $if -Protocol Icmp -Action Drop -Mode Generic -Confirm:$false; Get-BpfXdpFilter $if");
                generic.NoErrors();
                Assert.Equal(XdpMode.Generic, generic.Single<BpfXdpFilter>().Mode);
                Assert.Contains("xdpgeneric", VethPair.Run("ip", $"-n {pair.Receiver} link show {pair.ReceiverInterface}"));
                Assert.Equal(0, pair.Ping(pair.ReceiverV4, count: 2));
                AssertRemovedWithoutTrace(pair, session, generic.Single<BpfXdpFilter>().ProgramId);
            }
            finally
            {
                if (Directory.Exists(XdpPins.Directory(ifb))) XdpPins.Delete(ifb);
            }
        }

        [XdpFact]
        public void Bad_input_gets_one_error_with_a_stable_id_and_a_hint_and_changes_nothing()
        {
            using var pair = new VethPair();
            using var session = new ModuleSession();
            (string Script, string Id)[] cases =
            {
                ("Add-BpfXdpFilter -Interface nosuch0 -Protocol Icmp -Action Drop -Confirm:$false", "InterfaceNotFound"),
                ("Add-BpfXdpFilter -Interface $if -SourceAddress 10.0.0.1/8 -Action Drop -Confirm:$false", "InvalidAddressPrefix"),
                ("Add-BpfXdpFilter -Interface $if -DestinationPort 22 -Action Drop -Confirm:$false", "PortWithoutTcpOrUdp"),
                ("Add-BpfXdpFilter -Interface $if -Protocol Tcp -DestinationPort 70000 -Action Drop -Confirm:$false", "InvalidPort"),
                ("Add-BpfXdpFilter -Interface $if -Protocol Gre -Action Drop -Confirm:$false", "InvalidProtocol"),
                ("Get-BpfXdpFilter -Interface $if", "XdpFilterNotFound"),
                ("Get-BpfXdpFilter -Interface nosuch0", "InterfaceNotFound"),
                ("Remove-BpfXdpFilter -Interface $if -Confirm:$false", "XdpFilterNotFound"),
            };
            foreach (var (script, id) in cases)
            {
                var error = Assert.Single(InReceiver(pair, session, script).Errors);
                Assert.StartsWith(id + ",", error.FullyQualifiedErrorId);
                Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction), $"{id} has a hint");
            }
            Assert.False(Directory.Exists(XdpPins.Directory(pair.ReceiverInterface)));

            InReceiver(pair, session, "Add-BpfXdpFilter -Interface $if -Protocol Icmp -Action Drop -Confirm:$false").NoErrors();
            var again = Assert.Single(InReceiver(pair, session, "Add-BpfXdpFilter -Interface $if -Protocol icmp -Action Pass").Errors);
            Assert.StartsWith("XdpRuleExists,", again.FullyQualifiedErrorId);
            Assert.Contains("-RuleId 1", again.ErrorDetails.RecommendedAction);
            Assert.StartsWith("XdpRuleNotFound,", Assert.Single(InReceiver(pair, session, "Remove-BpfXdpFilter $if -RuleId 9").Errors).FullyQualifiedErrorId);
            AssertRemovedWithoutTrace(pair, session, Filter(pair, session).ProgramId);
        }

        [XdpFact]
        public void Cutting_the_ssh_session_is_high_impact_attaching_and_adding_a_rule_are_not()
        {
            using var pair = new VethPair();
            using var session = new ModuleSession();
            Assert.Empty(InReceiver(pair, session, "Add-BpfXdpFilter -Interface $if -Protocol Icmp -Action Drop -WhatIf").Errors);
            Assert.False(Directory.Exists(XdpPins.Directory(pair.ReceiverInterface)), "-WhatIf attaches nothing");

            // A host that cannot prompt fails a confirmation instead of asking: no error shows that none was asked for.
            InReceiver(pair, session, "Add-BpfXdpFilter -Interface $if -Protocol Icmp -Action Drop").NoErrors();
            InReceiver(pair, session, "Add-BpfXdpFilter -Interface $if -Protocol Udp -DestinationPort 9 -Action Drop").NoErrors();

            string? previous = Environment.GetEnvironmentVariable("SSH_CONNECTION");
            Environment.SetEnvironmentVariable("SSH_CONNECTION", $"{pair.SenderV4} 50000 {pair.ReceiverV4} 22");
            try
            {
                var refused = Assert.Single(InReceiver(pair, session, "Add-BpfXdpFilter -Interface $if -Protocol Tcp -DestinationPort 22 -Action Drop").Errors);
                Assert.StartsWith("XdpConfirmationRequired,", refused.FullyQualifiedErrorId);
                Assert.Equal(2, Filter(pair, session).Rules.Count);
                var verbose = InReceiver(pair, session, "Add-BpfXdpFilter -Interface $if -Protocol Tcp -DestinationPort 22 -Action Drop -Confirm:$false -Verbose");
                verbose.NoErrors();
                Assert.Contains(verbose.Verbose, v => v.Contains("it would drop the SSH connection this session runs over"));
                Assert.Equal(3, Filter(pair, session).Rules.Count);
            }
            finally
            {
                Environment.SetEnvironmentVariable("SSH_CONNECTION", previous);
            }
            AssertRemovedWithoutTrace(pair, session, Filter(pair, session).ProgramId);
        }

        [XdpFact]
        public void A_filter_whose_interface_was_deleted_is_shown_detached_refuses_rules_and_is_removed_cleanly()
        {
            using var pair = new VethPair();
            using var session = new ModuleSession();
            InReceiver(pair, session, "Add-BpfXdpFilter -Interface $if -Protocol Icmp -Action Drop -Confirm:$false").NoErrors();
            int programId = Filter(pair, session).ProgramId;
            VethPair.Run("ip", $"-n {pair.Receiver} link del {pair.ReceiverInterface}");

            Assert.False(Filter(pair, session).Attached);
            var refused = Assert.Single(InReceiver(pair, session, "Add-BpfXdpFilter -Interface $if -Protocol Udp -Action Drop").Errors);
            Assert.StartsWith("XdpFilterDetached,", refused.FullyQualifiedErrorId);
            InReceiver(pair, session, "Remove-BpfXdpFilter -Interface $if -Confirm:$false").NoErrors();
            Assert.False(Directory.Exists(XdpPins.Directory(pair.ReceiverInterface)));
            Assert.False(ProgramLoaded(programId));
        }

        [XdpFact]
        public void Pins_half_made_by_a_process_that_died_are_replaced_by_the_next_add()
        {
            using var pair = new VethPair();
            using var session = new ModuleSession();
            string directory = XdpPins.Directory(pair.ReceiverInterface);
            Directory.CreateDirectory(directory);
            using (var open = new XdpFilterSkeleton.Open())
            using (var loaded = open.Load())
            {
                XdpPins.Pin(loaded.XdpfState.Fd, Path.Combine(directory, XdpFilterSkeleton.Names.XdpfState)); // the maps pinned, then the process died: no link
            }
            Assert.StartsWith("XdpFilterNotFound,", Assert.Single(InReceiver(pair, session, "Get-BpfXdpFilter $if").Errors).FullyQualifiedErrorId);

            InReceiver(pair, session, "Add-BpfXdpFilter -Interface $if -Protocol Icmp -Action Drop -Confirm:$false").NoErrors();
            Assert.Equal(0, pair.Ping(pair.ReceiverV4, count: 2));
            AssertRemovedWithoutTrace(pair, session, Filter(pair, session).ProgramId);
        }
    }
}
