using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EbpfPS.Core;
using EbpfPS.Core.Objects;
using EbpfPS.Interop;
using EbpfPS.Probes.UserObjects;
using EbpfPS.Registrations;
using EbpfPS.Tests.Support;
using EbpfPS.Xdp;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>tc programs attached as filters on a clsact qdisc, the way kernels before 6.6 (no tcx) take them, and
    /// forced here where tcx exists. The Pester fixture tc-drop-protocol, set to drop UDP, sits on the egress of the
    /// sender's end of a veth pair in namespaces the test makes: the test sends datagrams and pings through it, counts
    /// what arrives and what the program counted, and asks tc(8) what filters the interface has.</summary>
    public sealed class TcClsactTests : IClassFixture<KernelLeakCheck>, IDisposable
    {
        private const byte Udp = 17;
        private static readonly Dictionary<string, object?> DropUdp = new() { ["drop_protocol"] = Udp };
        private readonly string _path = FixtureObjects.WriteToFile("tc-drop-protocol");

        public TcClsactTests()
        {
            ProgramTargets.TcThroughClsact = true;
        }

        public void Dispose()
        {
            ProgramTargets.TcThroughClsact = false;
            File.Delete(_path);
        }

        [XdpFact]
        public void A_trace_drops_the_datagrams_leaving_a_veth_through_a_clsact_filter_and_deletes_the_filter_at_its_end()
        {
            using var veth = new VethPair();
            using (NetworkNamespace.Enter(veth.Sender))
            {
                using (var probe = new UserObjectProbe(_path, DropUdp, null, targets: AttachTargets.Resolve(null, veth.SenderInterface)))
                {
                    var filter = Assert.IsType<TcFilterAttachment>(Assert.Single(probe.Object!.Links).Attachment);
                    Assert.True(filter.Egress);
                    Assert.Equal(veth.SenderInterface, filter.Interface);
                    string shown = Filters(veth);
                    Assert.Contains($"id {ProgramId(probe.Object)} name drop_protocol_e ", shown); // the kernel keeps 15 characters of a name
                    Assert.Contains("direct-action", shown);
                    Assert.Contains($"pref {filter.Priority} bpf", shown);
                    Assert.Contains($"handle 0x{filter.Handle:x}", shown);
                    Assert.DoesNotContain(Bpftool.Json("link show").EnumerateArray(), l => l.TryGetProperty("prog_id", out var id) && id.GetUInt32() == ProgramId(probe.Object));

                    Assert.Equal(0, veth.UdpDelivered(veth.ReceiverV4, 7001, count: 3));
                    Assert.Equal(2, veth.Ping(veth.ReceiverV4, count: 2));
                    Assert.Equal(3ul, FixtureObjects.Counter(probe.Object.Map("packets").Fd, 0));
                    Assert.Equal(2ul, FixtureObjects.Counter(probe.Object.Map("packets").Fd, 1));
                }
                Assert.Equal("", Filters(veth));
                Assert.Equal(3, veth.UdpDelivered(veth.ReceiverV4, 7001, count: 3));
            }
        }

        [XdpFact]
        public void A_registration_records_its_filter_which_outlives_the_object_and_unregistering_deletes_it()
        {
            using var veth = new VethPair();
            string name = $"ebpfps-clsact-{Environment.ProcessId}";
            using (NetworkNamespace.Enter(veth.Sender))
            {
                try
                {
                    using (RegistrationPins.Lock())
                    using (var targets = AttachTargets.Resolve(null, veth.SenderInterface))
                        Registration.Create(name, _path, DropUdp, targets, warn: _ => { });
                    var registration = Registration.Describe(name);
                    string attachment = Assert.Single(registration.Attachments);
                    Assert.Matches($@"^drop_protocol_egress -> tc_egress {veth.SenderInterface} \(clsact filter handle \d+ priority \d+\)$", attachment);
                    Assert.Empty(registration.LinkIds);
                    Assert.Contains($"id {registration.ProgramIds[0]} name drop_protocol_e ", Filters(veth));

                    Assert.Equal(0, veth.UdpDelivered(veth.ReceiverV4, 7002, count: 3));
                    int map = Libbpf.bpf_obj_get($"{registration.PinPath}/maps/packets");
                    Assert.True(map >= 0);
                    try { Assert.Equal(3ul, FixtureObjects.Counter(map, 0)); }
                    finally { Libc.close(map); }

                    using (RegistrationPins.Lock()) Registration.Remove(name);
                    Assert.Equal("", Filters(veth));
                    Assert.False(Directory.Exists(registration.PinPath));
                    Assert.Equal(3, veth.UdpDelivered(veth.ReceiverV4, 7002, count: 3));
                }
                finally
                {
                    if (RegistrationPins.Exists(name)) RegistrationPins.Delete(name);
                }
            }
        }

        [XdpFact]
        public unsafe void A_trace_whose_filter_was_replaced_by_another_programs_leaves_that_filter_alone()
        {
            using var veth = new VethPair();
            using (NetworkNamespace.Enter(veth.Sender))
            {
                using var other = BpfObject.Open(File.ReadAllBytes(_path), "other");
                ProgramTargets.TypeTcSections(other);
                other.Load();
                uint otherId = EbpfPS.Introspection.ObjectInfo.IdOf(other.Program("drop_protocol_egress").Fd);
                var hook = TcFilterAttachment.Hook(Interfaces.Index(veth.SenderInterface), egress: true);
                using (var probe = new UserObjectProbe(_path, DropUdp, null, targets: AttachTargets.Resolve(null, veth.SenderInterface)))
                {
                    var filter = Assert.IsType<TcFilterAttachment>(Assert.Single(probe.Object!.Links).Attachment);
                    Assert.Equal(ProgramId(probe.Object), filter.ProgramId);
                    // As another tool might: ours deleted, another program's filter put at the same handle and priority.
                    VethPair.Run("ip", $"netns exec {veth.Sender} tc filter del dev {veth.SenderInterface} egress pref {filter.Priority} handle 0x{filter.Handle:x} bpf");
                    var options = new BpfTcOptions { Size = (nuint)sizeof(BpfTcOptions), ProgramFd = other.Program("drop_protocol_egress").Fd, Handle = filter.Handle, Priority = filter.Priority };
                    Assert.Equal(0, Libbpf.bpf_tc_attach(&hook, &options));
                }
                Assert.Contains($"id {otherId} name drop_protocol_e ", Filters(veth));
                VethPair.Run("ip", $"netns exec {veth.Sender} tc qdisc del dev {veth.SenderInterface} clsact");
            }
        }

        [XdpFact]
        public void A_registration_on_an_interface_of_another_network_namespace_is_not_unregistered_from_this_one()
        {
            using var veth = new VethPair();
            string name = $"ebpfps-clsact-ns-{Environment.ProcessId}";
            try
            {
                BpfRegistration registration;
                using (NetworkNamespace.Enter(veth.Sender))
                {
                    using (RegistrationPins.Lock())
                    using (var targets = AttachTargets.Resolve(null, veth.SenderInterface))
                        Registration.Create(name, _path, DropUdp, targets, warn: _ => { });
                    registration = Registration.Describe(name);
                }

                BpfException e;
                using (RegistrationPins.Lock()) e = Assert.Throws<BpfException>(() => Registration.Remove(name));
                Assert.Equal(BpfErrorIds.BpfRegistrationNamespaceMismatch, e.ErrorId);
                Assert.Contains($"tc filter on {veth.SenderInterface} of another network namespace", e.Message);
                Assert.Contains($"Unregister-BpfProgram -Name {name}", e.Hint);
                Assert.True(Directory.Exists(registration.PinPath), "nothing was undone");

                using (NetworkNamespace.Enter(veth.Sender))
                {
                    Assert.Contains($"id {registration.ProgramIds[0]} name drop_protocol_e ", Filters(veth));
                    using (RegistrationPins.Lock()) Registration.Remove(name);
                    Assert.Equal("", Filters(veth));
                }
            }
            finally
            {
                if (RegistrationPins.Exists(name)) RegistrationPins.Delete(name);
            }
        }

        private static uint ProgramId(BpfObject obj) => EbpfPS.Introspection.ObjectInfo.IdOf(obj.Program("drop_protocol_egress").Fd);

        /// <summary>What tc(8) lists on the egress of the sender's interface.</summary>
        private static string Filters(VethPair veth) =>
            VethPair.Run("ip", $"netns exec {veth.Sender} tc filter show dev {veth.SenderInterface} egress").Trim();
    }
}
