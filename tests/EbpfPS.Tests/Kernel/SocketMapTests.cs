using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using EbpfPS.Interop;
using EbpfPS.Core.Objects;
using EbpfPS.Probes;
using EbpfPS.Probes.UserObjects;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>An sk_msg program attached to its object's sockhash by bpf_prog_attach (what kernels before 6.10 take),
    /// so these also run in the 5.10 and 6.1 guests. The Pester fixture sockmap-count, its sockops program on an empty
    /// cgroup of the test's: the test puts its own loopback connection into the sockhash (from user space, by fd),
    /// sends three messages and a marked one, and asserts what the program counted and what arrived.</summary>
    public sealed unsafe class SocketMapTests : IClassFixture<KernelLeakCheck>, IDisposable
    {
        private readonly string _path = FixtureObjects.WriteToFile("sockmap-count");
        private readonly string _cgroup;

        public SocketMapTests()
        {
            string mount = TaskFilter.CgroupMounts(File.ReadLines("/proc/self/mountinfo")).First();
            _cgroup = Directory.CreateDirectory(Path.Combine(mount, $"ebpfps-sockmap-{Environment.ProcessId}")).FullName;
        }

        public void Dispose()
        {
            File.Delete(_path);
            Directory.Delete(_cgroup);
        }

        [KernelFact]
        public void An_sk_msg_program_on_the_sockhash_counts_each_message_drops_the_marked_one_and_is_detached_at_the_end()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect((IPEndPoint)listener.LocalEndpoint);
            using var server = listener.AcceptSocket();
            uint programId;
            var errors = new List<SocketError>();
            using (var probe = new UserObjectProbe(_path, new Dictionary<string, object?> { ["drop_first_byte"] = (int)'!' }, null,
                       targets: AttachTargets.Resolve(_cgroup, null)))
            {
                var attachment = Assert.IsType<SocketMapAttachment>(probe.Object!.Links.Single(l => l.Attachment is not null).Attachment);
                Assert.Equal(("count_messages", "sockets", Libbpf.BPF_SK_MSG_VERDICT), (attachment.Program, attachment.Map, attachment.AttachType));
                programId = EbpfPS.Introspection.ObjectInfo.IdOf(probe.Object.Program("count_messages").Fd);

                uint port = (uint)((IPEndPoint)client.LocalEndPoint!).Port;
                ulong fd = (ulong)client.Handle;
                Assert.Equal(0, Libbpf.bpf_map_update_elem(probe.Object.Map("sockets").Fd, &port, &fd, 0));
                foreach (var message in new[] { "hello", "hello", "hello", "!dropped" })
                {
                    try { client.Send(Encoding.ASCII.GetBytes(message)); }
                    catch (SocketException e) { errors.Add(e.SocketErrorCode); }
                }
                int bytes = probe.Object.Map("bytes").Fd;
                Assert.Equal((15ul, 3ul, 1ul), (FixtureObjects.Counter(bytes, 0), FixtureObjects.Counter(bytes, 1), FixtureObjects.Counter(bytes, 2)));
            }
            Assert.Equal(new[] { SocketError.AccessDenied }, errors); // SK_DROP: EACCES
            client.Send(Encoding.ASCII.GetBytes("!after"));
            client.Shutdown(SocketShutdown.Send);
            Assert.Equal("hellohellohello!after", Receive(server));
            // the kernel frees a released program after an RCU grace period
            Assert.True(SpinWait.SpinUntil(() => !Bpftool.Json("prog show").EnumerateArray().Any(p => p.GetProperty("id").GetUInt32() == programId),
                TimeSpan.FromSeconds(3)), "the trace's sk_msg program is still loaded");
        }

        /// <summary>What the peer sent, to its shutdown.</summary>
        private static string Receive(Socket socket)
        {
            socket.ReceiveTimeout = 2000;
            var text = new StringBuilder();
            var buffer = new byte[256];
            for (int n; (n = socket.Receive(buffer)) > 0;) text.Append(Encoding.ASCII.GetString(buffer, 0, n));
            return text.ToString();
        }
    }
}
