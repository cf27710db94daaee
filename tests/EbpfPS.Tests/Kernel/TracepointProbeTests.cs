using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using EbpfPS.Core;
using EbpfPS.Introspection.Features;
using EbpfPS.Probes;
using EbpfPS.Core.TraceFs;
using EbpfPS.Probes.Tracepoints;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>The generic tracepoint probe against events the tests cause and check elsewhere.</summary>
    public class TracepointProbeTests : IClassFixture<KernelLeakCheck>
    {
        private static List<BpfTracepointEvent> Collect(TracepointProbe probe, Func<List<BpfTracepointEvent>, bool> done)
        {
            var events = new List<BpfTracepointEvent>();
            var clock = Stopwatch.StartNew();
            while (!done(events) && clock.Elapsed < TimeSpan.FromSeconds(5)) events.AddRange(probe.Poll(50));
            return events;
        }

        private static object? Field(BpfTracepointEvent e, string name) => e.Fields.Single(f => f.Name == name).Value;

        [KernelFact]
        public void Without_cookies_a_trace_of_several_tracepoints_names_what_the_kernel_lacks()
        {
            Assert.SkipWhen(KernelFeatures.HasCookies, "this kernel has BPF cookies (5.15+): one program serves many tracepoints");
            var formats = Tracepoints.Resolve(KernelSupport.DemandTraceFs(), "sched:sched_process_ex*"); // exec and exit
            var e = Assert.Throws<BpfException>(() => new TracepointProbe(formats, TaskFilter.Everyone));
            Assert.Equal(BpfErrorIds.BpfFeatureNotSupported, e.ErrorId);
            Assert.Contains("BPF cookies (5.15)", e.Message);
            Assert.Contains("Get-BpfFeature -Name BpfCookies", e.Hint);
        }

        [KernelFact]
        public void Exec_of_a_child_gives_its_filename_and_pid_from_a_data_loc_field()
        {
            string traceFs = KernelSupport.DemandTraceFs();
            using var probe = new TracepointProbe(Tracepoints.Resolve(traceFs, "sched:sched_process_exec"), TaskFilter.Everyone);
            using var child = Process.Start("/bin/true")!;
            child.WaitForExit();

            var events = Collect(probe, list => list.Any(e => e.ProcessId == child.Id));
            var exec = Assert.Single(events, e => e.ProcessId == child.Id);
            Assert.Equal("sched:sched_process_exec", exec.Tracepoint);
            Assert.Equal("/bin/true", Field(exec, "filename"));
            Assert.Equal(child.Id, Field(exec, "pid"));
            Assert.Equal("true", exec.Command);
            Assert.False(exec.Truncated);
        }

        [KernelTheory]
        [InlineData("127.0.0.1", AddressFamily.InterNetwork, "AF_INET", "saddr", "daddr")]
        [InlineData("::1", AddressFamily.InterNetworkV6, "AF_INET6", "saddr_v6", "daddr_v6")]
        public void A_tcp_connection_over_loopback_gives_addresses_ports_and_named_states(
            string address, AddressFamily family, string familyName, string source, string destination)
        {
            string traceFs = KernelSupport.DemandTraceFs();
            using var probe = new TracepointProbe(Tracepoints.Resolve(traceFs, "sock:inet_sock_set_state"), TaskFilter.ForProcesses(new[] { Environment.ProcessId }));
            var loopback = IPAddress.Parse(address);
            using var listener = new TcpListener(loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var client = new TcpClient(family);
            client.Connect(loopback, port);
            int clientPort = ((IPEndPoint)client.Client.LocalEndPoint!).Port;
            using var accepted = listener.AcceptTcpClient();

            bool IsOurs(BpfTracepointEvent e) => Field(e, "newstate") as string == "TCP_ESTABLISHED" && Field(e, "sport") is ushort s && s == clientPort;
            var established = Assert.Single(Collect(probe, list => list.Any(IsOurs)), IsOurs);
            Assert.Equal("TCP_SYN_SENT", Field(established, "oldstate"));
            Assert.Equal(1L, Field(established, "newstateValue"));
            Assert.Equal(familyName, Field(established, "family"));
            Assert.Equal("IPPROTO_TCP", Field(established, "protocol"));
            Assert.Equal((ushort)port, Field(established, "dport"));
            Assert.Equal(address, Field(established, source)); // as text
            Assert.Equal(address, Field(established, destination));
            Assert.Equal(Environment.ProcessId, established.ProcessId);
        }
    }
}
