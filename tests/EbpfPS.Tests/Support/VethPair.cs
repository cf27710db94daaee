using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using EbpfPS.Xdp;

namespace EbpfPS.Tests.Support
{
    /// <summary>Two network namespaces joined by a veth pair: the sender's end and the receiver's end, where
    /// the filter goes. Addresses are 10.199.N.x and fd00:199:N::x, inside the namespaces only; neighbour
    /// entries are static, so no ARP or neighbour discovery adds packets to what a test counts. Disposing
    /// deletes both namespaces and any filter pinned for the receiver; leftovers of a crashed run of this
    /// class are deleted first.</summary>
    internal sealed partial class VethPair : IDisposable
    {
        private const string Prefix = "ebpfps-t-";
        private static int _count;

        internal VethPair()
        {
            DeleteLeftovers();
            int n = Interlocked.Increment(ref _count);
            int pid = Environment.ProcessId;
            Sender = $"{Prefix}{pid}-{n}s";
            Receiver = $"{Prefix}{pid}-{n}r";
            SenderInterface = $"x{pid}s{n}";
            ReceiverInterface = $"x{pid}r{n}";
            int subnet = 100 + (pid + n) % 150;
            SenderV4 = IPAddress.Parse($"10.199.{subnet}.1");
            SecondSenderV4 = IPAddress.Parse($"10.199.{subnet}.3");
            ReceiverV4 = IPAddress.Parse($"10.199.{subnet}.2");
            SenderV6 = IPAddress.Parse($"fd00:199:{subnet}::1");
            ReceiverV6 = IPAddress.Parse($"fd00:199:{subnet}::2");
            try { Create(); }
            catch { Dispose(); throw; }
        }

        internal string Sender { get; }
        internal string Receiver { get; }
        internal string SenderInterface { get; }
        internal string ReceiverInterface { get; }
        internal IPAddress SenderV4 { get; }
        internal IPAddress SecondSenderV4 { get; }
        internal IPAddress ReceiverV4 { get; }
        internal IPAddress SenderV6 { get; }
        internal IPAddress ReceiverV6 { get; }

        private void Create()
        {
            Ip($"netns add {Sender}");
            Ip($"netns add {Receiver}");
            Ip($"link add {SenderInterface} netns {Sender} type veth peer name {ReceiverInterface} netns {Receiver}");
            foreach (var (ns, dev) in new[] { (Sender, SenderInterface), (Receiver, ReceiverInterface) })
            {
                Sysctl(ns, "net.ipv6.conf.all.accept_dad=0");
                Sysctl(ns, $"net.ipv6.conf.{dev}.router_solicitations=0");
                Sysctl(ns, "net.ipv6.conf.all.forwarding=0");
                Ip($"-n {ns} link set lo up");
            }
            Ip($"-n {Sender} addr add {SenderV4}/24 dev {SenderInterface}");
            Ip($"-n {Sender} addr add {SecondSenderV4}/24 dev {SenderInterface}");
            Ip($"-n {Receiver} addr add {ReceiverV4}/24 dev {ReceiverInterface}");
            Ip($"-n {Sender} addr add {SenderV6}/64 dev {SenderInterface} nodad");
            Ip($"-n {Receiver} addr add {ReceiverV6}/64 dev {ReceiverInterface} nodad");
            Ip($"-n {Sender} link set {SenderInterface} up");
            Ip($"-n {Receiver} link set {ReceiverInterface} up");
            string senderMac = Mac(Sender, SenderInterface), receiverMac = Mac(Receiver, ReceiverInterface);
            Ip($"-n {Sender} neigh replace {ReceiverV4} lladdr {receiverMac} dev {SenderInterface} nud permanent");
            Ip($"-n {Sender} neigh replace {ReceiverV6} lladdr {receiverMac} dev {SenderInterface} nud permanent");
            foreach (var address in new[] { SenderV4, SecondSenderV4, SenderV6 })
                Ip($"-n {Receiver} neigh replace {address} lladdr {senderMac} dev {ReceiverInterface} nud permanent");
        }

        private static string Mac(string ns, string dev) =>
            Regex.Match(Ip($"-n {ns} link show {dev}"), @"link/ether ([0-9a-f:]{17})").Groups[1].Value;

        /// <summary>Echo requests from the sender that got a reply (ping -c count).</summary>
        internal int Ping(IPAddress to, int count = 3, IPAddress? from = null)
        {
            string source = from is null ? "" : $"-I {from} ";
            string output = Run("ip", $"netns exec {Sender} ping -n -q -c {count} -i 0.05 -W 1 {source}{to}", allowFailure: true);
            var received = Regex.Match(output, @"(\d+) (packets )?received");
            return received.Success ? int.Parse(received.Groups[1].Value) : throw new InvalidOperationException($"ping said: {output}");
        }

        /// <summary>Whether a TCP connection from the sender to the receiver's port carries a byte both ways.</summary>
        internal bool TcpWorks(IPAddress to, int port)
        {
            using var listener = InReceiver(() => new TcpListener(to, port));
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            using var client = InSender(() => new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
            try
            {
                if (!client.ConnectAsync(to, port).Wait(TimeSpan.FromSeconds(1))) return false;
                using var accepted = listener.AcceptSocket();
                client.Send(new byte[] { 42 });
                var buffer = new byte[1];
                accepted.ReceiveTimeout = 1000;
                return accepted.Receive(buffer) == 1 && buffer[0] == 42;
            }
            catch (AggregateException) { return false; }
            catch (SocketException) { return false; }
        }

        /// <summary>How many of <paramref name="count"/> UDP datagrams from the sender reach the receiver's port.</summary>
        internal int UdpDelivered(IPAddress to, int port, int count = 3, int fromPort = 0)
        {
            using var receiver = InReceiver(() => new Socket(to.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
            receiver.Bind(new IPEndPoint(to, port));
            receiver.ReceiveTimeout = 300;
            using var sender = InSender(() => new Socket(to.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
            if (fromPort != 0) sender.Bind(new IPEndPoint(to.AddressFamily == AddressFamily.InterNetwork ? SenderV4 : SenderV6, fromPort));
            for (int i = 0; i < count; i++) sender.SendTo(new byte[] { (byte)i }, new IPEndPoint(to, port));
            int delivered = 0;
            var buffer = new byte[16];
            try { while (delivered < count) { receiver.Receive(buffer); delivered++; } }
            catch (SocketException) { }
            return delivered;
        }

        internal T InSender<T>(Func<T> make)
        {
            using (NetworkNamespace.Enter(Sender)) return make();
        }

        internal T InReceiver<T>(Func<T> make)
        {
            using (NetworkNamespace.Enter(Receiver)) return make();
        }

        public void Dispose()
        {
            foreach (var ns in new[] { Sender, Receiver })
                if (File.Exists($"/run/netns/{ns}")) Ip($"netns del {ns}", allowFailure: true);
            if (Directory.Exists(XdpPins.Directory(ReceiverInterface))) XdpPins.Delete(ReceiverInterface);
        }

        /// <summary>Namespaces and pins of earlier runs whose process is gone (a crash, a killed test host).</summary>
        private static void DeleteLeftovers()
        {
            foreach (var ns in Directory.Exists("/run/netns") ? Directory.GetFiles("/run/netns").Select(Path.GetFileName) : Enumerable.Empty<string?>())
                if (ns is not null && ns.StartsWith(Prefix) && !Alive(ns[Prefix.Length..].Split('-')[0]))
                    Ip($"netns del {ns}", allowFailure: true);
            foreach (var name in XdpPins.Filtered())
                if (Regex.Match(name, @"^x(\d+)r\d+$") is { Success: true } m && !Alive(m.Groups[1].Value))
                    XdpPins.Delete(name);
        }

        private static bool Alive(string pid) => Directory.Exists($"/proc/{pid}");

        private static void Sysctl(string ns, string setting) => Run("ip", $"netns exec {ns} sysctl -q -w {setting}", allowFailure: true);

        private static string Ip(string arguments, bool allowFailure = false) => Run("ip", arguments, allowFailure);

        internal static string Run(string file, string arguments, bool allowFailure = false)
        {
            var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0 && !allowFailure) throw new InvalidOperationException($"{file} {arguments} failed: {output}");
            return output;
        }
    }
}
