using System.Text.RegularExpressions;

namespace EbpfPS.Bench.XdpDropRate
{
    /// <summary>An iptables DROP rule for the frames in the receiver's namespace, in the given table and chain.</summary>
    internal sealed class IptablesDrop : IDropper
    {
        private readonly string _namespace, _table, _chain;
        private readonly MinimalXdpDrop _pass;

        internal IptablesDrop(BenchPair pair, string table, string chain)
        {
            _namespace = pair.ReceiverNamespace;
            _table = table;
            _chain = chain;
            Name = $"iptables DROP ({table} {chain})";
            _pass = new MinimalXdpDrop(pair, "ebpfps_bench_pass", "XDP_PASS");
            try { Iptables($"-A {_chain} {Match}"); }
            catch { _pass.Dispose(); throw; }
        }

        /// <summary>Why the iptables droppers cannot run here, or null when they can.</summary>
        internal static string? Missing()
        {
            foreach (var directory in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
                if (directory.Length > 0 && System.IO.File.Exists(System.IO.Path.Combine(directory, "iptables"))) return null;
            return "iptables is not installed (not on PATH); tools/setup.sh installs it (apt-get install -y iptables).";
        }

        private const string Match = "-p udp --dport 9 -j DROP";

        public string Name { get; }

        public ulong? Dropped()
        {
            // "    pkts      bytes target ..." then one line per rule: the first number is the packet count.
            var line = Regex.Match(Iptables($"-L {_chain} -v -x -n"), @"^\s*(\d+)\s+\d+\s+DROP", RegexOptions.Multiline);
            return line.Success ? ulong.Parse(line.Groups[1].Value) : 0;
        }

        private string Iptables(string arguments) =>
            BenchNetwork.Run("ip", $"netns exec {_namespace} iptables -w -t {_table} {arguments}");

        public void Dispose()
        {
            Iptables($"-D {_chain} {Match}");
            _pass.Dispose();
        }
    }
}
