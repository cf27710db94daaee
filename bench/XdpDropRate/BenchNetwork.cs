using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace EbpfPS.Bench.XdpDropRate
{
    /// <summary>One veth pair of the benchmark: its sender end in the shared sender namespace, its receiver end
    /// (10.197.N.2) in a namespace of its own, where one dropper works.</summary>
    internal sealed record BenchPair(int Index)
    {
        internal string ReceiverNamespace => $"{BenchNetwork.Prefix}r{Index}";
        internal string SenderInterface => $"xbench-s{Index}";
        internal string ReceiverInterface => $"xbench-r{Index}";
        internal string SenderAddress => $"10.197.{Index}.1";
        internal string ReceiverAddress => $"10.197.{Index}.2";
        internal string SenderMac { get; init; } = "";
        internal string ReceiverMac { get; init; } = "";
    }

    /// <summary>The sender namespace and one veth pair per dropper, so that the droppers take turns run after
    /// run and share whatever else the machine does. Deleted on Dispose (and at start, after a killed run).</summary>
    internal sealed partial class BenchNetwork : IDisposable
    {
        internal const string Prefix = "ebpfps-bench-";
        internal const string Sender = Prefix + "s";

        internal BenchNetwork(int pairs)
        {
            Dispose();
            Run("ip", $"netns add {Sender}");
            Pairs = Enumerable.Range(0, pairs).Select(Create).ToList();
        }

        internal IReadOnlyList<BenchPair> Pairs { get; }

        private static BenchPair Create(int index)
        {
            var pair = new BenchPair(index);
            Run("ip", $"netns add {pair.ReceiverNamespace}");
            Run("ip", $"link add {pair.SenderInterface} netns {Sender} type veth peer name {pair.ReceiverInterface} netns {pair.ReceiverNamespace}");
            Run("ip", $"-n {Sender} addr add {pair.SenderAddress}/24 dev {pair.SenderInterface}");
            Run("ip", $"-n {pair.ReceiverNamespace} addr add {pair.ReceiverAddress}/24 dev {pair.ReceiverInterface}");
            Run("ip", $"-n {Sender} link set {pair.SenderInterface} up");
            Run("ip", $"-n {pair.ReceiverNamespace} link set {pair.ReceiverInterface} up");
            return pair with { SenderMac = Mac(Sender, pair.SenderInterface), ReceiverMac = Mac(pair.ReceiverNamespace, pair.ReceiverInterface) };
        }

        private static string Mac(string ns, string dev) =>
            Regex.Match(Run("ip", $"-n {ns} link show {dev}"), "link/ether ([0-9a-f:]{17})").Groups[1].Value;

        /// <summary>Frames the receiver's end took in (XDP counts every frame it ran on, dropped or not).</summary>
        internal static ulong ReceivedFrames(BenchPair pair)
        {
            string json = Run("ip", $"-n {pair.ReceiverNamespace} -s -j link show {pair.ReceiverInterface}");
            using var document = System.Text.Json.JsonDocument.Parse(json);
            return document.RootElement[0].GetProperty("stats64").GetProperty("rx").GetProperty("packets").GetUInt64();
        }

        /// <summary>Moves the calling thread into the namespace until disposed (the bpf(2) calls, interface
        /// lookups and redirects made meanwhile see its interfaces).</summary>
        internal static IDisposable Enter(string ns) => new Entered($"/run/netns/{ns}");

        private sealed class Entered : IDisposable
        {
            private const int CLONE_NEWNET = 0x40000000;
            private readonly SafeFileHandle _previous = File.OpenHandle("/proc/thread-self/ns/net");

            internal Entered(string path)
            {
                using var target = File.OpenHandle(path);
                Switch(target);
            }

            public void Dispose()
            {
                Switch(_previous);
                _previous.Dispose();
            }

            private static void Switch(SafeFileHandle ns)
            {
                if (setns((int)ns.DangerousGetHandle(), CLONE_NEWNET) != 0)
                    throw new InvalidOperationException($"setns failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }

        [LibraryImport("libc", SetLastError = true)] private static partial int setns(int fd, int type);

        internal static string Run(string file, string arguments, bool allowFailure = false)
        {
            var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0 && !allowFailure) throw new InvalidOperationException($"{file} {arguments}: {output}");
            return output;
        }

        /// <summary>Pins of the filters a crashed run left (/sys/fs/bpf/ebpfps/xbench-r*): the interfaces are gone
        /// with their namespaces, the pins are not.</summary>
        internal static void RemoveFilterPins()
        {
            if (!Directory.Exists(EbpfPS.Xdp.XdpPins.Root)) return;
            foreach (var directory in Directory.GetDirectories(EbpfPS.Xdp.XdpPins.Root, "xbench-*"))
                EbpfPS.Xdp.XdpPins.Delete(Path.GetFileName(directory));
        }

        /// <summary>One cleanup step that must not stop the next ones: a failure is said, not thrown.</summary>
        internal static void Quietly(string what, Action step)
        {
            try { step(); }
            catch (Exception e) { Console.Error.WriteLine($"XdpDropRate: {what} failed: {e.Message}"); }
        }

        public void Dispose()
        {
            RemoveFilterPins();
            if (!Directory.Exists("/run/netns")) return;
            foreach (var ns in Directory.GetFiles("/run/netns", Prefix + "*"))
                Run("ip", $"netns del {Path.GetFileName(ns)}", allowFailure: true);
        }
    }
}
