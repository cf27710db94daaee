using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using EbpfPS;
using EbpfPS.Xdp;

namespace EbpfPS.Bench.XdpDropRate
{
    /// <summary>Measures how many frames per second each dropper drops at the receiving end of a veth pair, and
    /// prints the filter's rate as ratios of a minimal XDP_DROP program's and of iptables DROP rules'.
    /// Each dropper has a veth pair of its own and they take turns, so a busy machine slows all alike.
    /// Usage (root): dotnet run -c Release --project bench/XdpDropRate [frames-per-run] [runs] [--short]</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    internal static class Program
    {
        private const string Minimal = "minimal XDP_DROP program";

        private static int Main(string[] args)
        {
            // --short: a few frames, one run, to show that the benchmark still works (tests/Pester/Benchmarks.Tests.ps1).
            bool quick = args.Contains("--short");
            args = args.Where(a => a != "--short").ToArray();
            int frames = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : quick ? 2_000 : 1_000_000;
            int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : quick ? 1 : 21;
            // One CPU: the generator and the receiver's NAPI poll share it.
            int cpu = Environment.ProcessorCount - 1;
            Process.GetCurrentProcess().ProcessorAffinity = (nint)(1L << cpu);

            var makers = new List<Func<BenchPair, IDropper>>
            {
                pair => new MinimalXdpDrop(pair),
                pair => new FilterDrop(pair, "EbpfPS filter, 1 rule: Drop Udp", XdpRuleParser.Parse(XdpAction.Drop, "Udp"), Array.Empty<XdpRule>()),
                pair => new FilterDrop(pair, "EbpfPS filter, 64 rules, every lookup",
                    XdpRuleParser.Parse(XdpAction.Drop, "Udp", $"{pair.SenderAddress[..^2]}.0/24", pair.ReceiverAddress, destinationPort: "9"),
                    FilterDrop.Decoys(63)),
            };
            if (IptablesDrop.Missing() is string missing)
                Console.WriteLine($"iptables comparison skipped: {missing}");
            else
            {
                makers.Add(pair => new IptablesDrop(pair, "raw", "PREROUTING"));
                makers.Add(pair => new IptablesDrop(pair, "filter", "INPUT"));
            }

            // Ctrl-C and SIGTERM end the runs between two sends; the finally below removes what the run made.
            using var stopping = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopping.Cancel(); };
            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopping.Cancel(); });

            var benches = new List<Bench>();
            BenchNetwork? network = null;
            try
            {
                network = new BenchNetwork(makers.Count); // removes what a killed run left first
                foreach (var (pair, make) in network.Pairs.Zip(makers))
                {
                    var dropper = make(pair);
                    try { benches.Add(new Bench(pair, dropper, new TrafficGenerator(pair))); }
                    catch { dropper.Dispose(); throw; }
                }
                foreach (var bench in benches) bench.Generator.Send(Math.Max(frames / 10, 1), stopping.Token); // warm up caches and the JIT
                for (int run = 0; run < runs; run++)
                    foreach (var bench in benches) bench.Measure(frames, stopping.Token);
                Report(benches, frames, runs, cpu);
                return 0;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("XdpDropRate: stopped; the benchmark's namespaces, interfaces, filters and iptables rules are removed.");
                return 130;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"XdpDropRate: {e.Message}");
                return 1;
            }
            finally
            {
                foreach (var bench in benches) BenchNetwork.Quietly("removing " + bench.Dropper.Name, bench.Dispose);
                BenchNetwork.Quietly("deleting the namespaces", () => network?.Dispose());
                BenchNetwork.Quietly("deleting the filters' pins", BenchNetwork.RemoveFilterPins);
            }
        }

        private static void Report(List<Bench> benches, int frames, int runs, int cpu)
        {
            Console.WriteLine($"Drop rate at the receiving end of a veth pair: 60-byte UDP frames from an XDP live-frames generator, " +
                              $"{frames:N0} per run, {runs} runs per dropper taking turns, generator and receiver on CPU {cpu}.");
            Console.WriteLine($"{"Dropper",-40} {"Mpps",6} {"ns/frame",9} {"min-max Mpps",13} {"dropped",8} {"received",9}");
            foreach (var bench in benches)
                Console.WriteLine($"{bench.Dropper.Name,-40} {bench.Median,6:0.00} {1e3 / bench.Median,9:0.0} {$"{bench.Slowest:0.00}-{bench.Fastest:0.00}",13} " +
                                  $"{bench.DroppedShare,7:0.0}% {bench.ReceivedShare,8:0.0}%");
            double minimal = benches.Single(b => b.Dropper.Name == Minimal).Median;
            Console.WriteLine();
            Console.WriteLine("Ratios of frames per second (higher is faster):");
            foreach (var filter in benches.Where(b => b.Dropper.Name.StartsWith("EbpfPS")))
            {
                var versus = benches.Where(b => !b.Dropper.Name.StartsWith("EbpfPS")).Select(b => $"{filter.Median / b.Median:0.00} x {b.Dropper.Name}");
                Console.WriteLine($"  {filter.Dropper.Name}: {string.Join(", ", versus)}");
                Console.WriteLine($"    {1e3 / filter.Median - 1e3 / minimal:0.0} ns per frame more than the minimal XDP_DROP program");
            }
        }

        /// <summary>One dropper on its own veth pair, with its generator and its measurements.</summary>
        private sealed class Bench : IDisposable
        {
            private readonly List<double> _rates = new();
            private ulong _sent, _received, _dropped;

            internal Bench(BenchPair pair, IDropper dropper, TrafficGenerator generator)
            {
                Pair = pair;
                Dropper = dropper;
                Generator = generator;
            }

            internal BenchPair Pair { get; }
            internal IDropper Dropper { get; }
            internal TrafficGenerator Generator { get; }

            /// <summary>Frames the receiver took in per second. When it is the slower side the veth's ring
            /// overflows, and the generator's rate would overstate it.</summary>
            internal void Measure(int frames, CancellationToken stopping)
            {
                ulong receivedBefore = BenchNetwork.ReceivedFrames(Pair), droppedBefore = Dropper.Dropped() ?? 0;
                double seconds = Generator.Send(frames, stopping).TotalSeconds;
                ulong received = BenchNetwork.ReceivedFrames(Pair) - receivedBefore;
                _rates.Add(received / seconds / 1e6);
                _sent += (ulong)frames;
                _received += received;
                _dropped += Dropper.Dropped() is ulong after ? after - droppedBefore : received;
            }

            internal double Median => _rates.OrderBy(r => r).ElementAt(_rates.Count / 2);
            internal double Slowest => _rates.Min();
            internal double Fastest => _rates.Max();
            internal double DroppedShare => 100.0 * _dropped / _received;
            internal double ReceivedShare => 100.0 * _received / _sent;

            public void Dispose()
            {
                Generator.Dispose();
                Dropper.Dispose();
            }
        }
    }
}
