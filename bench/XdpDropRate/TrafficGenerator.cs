using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System;
using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Bench.XdpDropRate
{
    /// <summary>Sends one UDP frame many times out of a pair's sender end, as fast as the kernel can: an XDP
    /// program that redirects to that end, run with BPF_PROG_TEST_RUN in live-frames mode (what
    /// xdp-trafficgen does). The receiver's end gets real frames through the veth's XDP path.</summary>
    internal sealed unsafe class TrafficGenerator : IDisposable
    {
        internal const byte Port = 9;
        private readonly BpfObject _object;
        private readonly byte[] _frame;

        internal TrafficGenerator(BenchPair pair)
        {
            using (BenchNetwork.Enter(BenchNetwork.Sender))
            {
                _object = BpfObject.Open(Resource("bench"), "ebpfps_bench_gen");
                _object.SetGlobal("target_ifindex", Libc.if_nametoindex(pair.SenderInterface));
                foreach (var program in _object.OpenPrograms()) program.SetAutoload(program.Name == "ebpfps_bench_send");
                _object.Load();
            }
            _frame = UdpFrame(pair.ReceiverMac, pair.SenderMac, pair.SenderAddress, pair.ReceiverAddress);
        }

        internal static byte[] Resource(string name)
        {
            using var stream = typeof(TrafficGenerator).Assembly.GetManifestResourceStream($"EbpfPS.Bench.{name}.bpf.o")!;
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }

        /// <summary>Sends <paramref name="count"/> frames; returns how long that took.</summary>
        internal TimeSpan Send(int count, System.Threading.CancellationToken stopping)
        {
            stopping.ThrowIfCancellationRequested();
            using var inSender = BenchNetwork.Enter(BenchNetwork.Sender);
            var clock = Stopwatch.StartNew();
            fixed (byte* data = _frame)
            {
                var options = new BpfTestRunOptions
                {
                    Size = (nuint)sizeof(BpfTestRunOptions),
                    DataIn = data,
                    DataSizeIn = (uint)_frame.Length,
                    Repeat = count,
                    Flags = Libbpf.BPF_F_TEST_XDP_LIVE_FRAMES,
                    BatchSize = 64,
                };
                int rc = Libbpf.bpf_prog_test_run_opts(_object.Program("ebpfps_bench_send").Fd, &options);
                int errno = Errno.FromResult(rc);
                if (rc != 0 && errno == 4) throw new OperationCanceledException(); // EINTR: a signal (Ctrl-C, SIGTERM) came
                // The kernel's live-frames checks answer EINVAL (flags, 14 to ~3.5k bytes, no data_out), E2BIG (batch > 256)
                // or ENOMEM; EPERM/EACCES come from before them: capabilities, an LSM or a seccomp filter on bpf(2).
                if (rc != 0)
                    throw new InvalidOperationException($"BPF_PROG_TEST_RUN (live frames) failed: {Errno.Describe(errno)}. " +
                        "The generator needs root (CAP_BPF, CAP_NET_ADMIN) and bpf(2) not filtered (a container's seccomp profile or an LSM can refuse it).");
            }
            return clock.Elapsed;
        }

        /// <summary>A 60-byte Ethernet frame with a UDP datagram to port 9 and a valid IPv4 checksum, so that the
        /// stack would take it (the iptables variants drop it there).</summary>
        private static byte[] UdpFrame(string destinationMac, string sourceMac, string source, string destination)
        {
            var frame = new byte[60];
            Mac(destinationMac).CopyTo(frame, 0);
            Mac(sourceMac).CopyTo(frame, 6);
            frame[12] = 0x08;
            byte[] ip = { 0x45, 0, 0, 28 + 18, 0, 0, 0x40, 0, 64, 17, 0, 0 };
            ip.CopyTo(frame, 14);
            IPAddress.Parse(source).GetAddressBytes().CopyTo(frame, 26);
            IPAddress.Parse(destination).GetAddressBytes().CopyTo(frame, 30);
            uint sum = 0;
            for (int i = 14; i < 34; i += 2) sum += (uint)(frame[i] << 8 | frame[i + 1]);
            while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
            frame[24] = (byte)(~sum >> 8);
            frame[25] = (byte)~sum;
            frame[34] = 0x30; frame[35] = 0x39;          // source port 12345
            frame[37] = Port;                             // destination port
            frame[39] = 8 + 18;                           // UDP length; checksum 0: none
            return frame;
        }

        private static byte[] Mac(string text) => text.Split(':').Select(b => byte.Parse(b, NumberStyles.HexNumber)).ToArray();

        public void Dispose() => _object.Dispose();
    }
}
