using System;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;

namespace EbpfPS.Tests.Support
{
    /// <summary>bpftool, the independent reference the map and introspection tests compare with.</summary>
    internal static class Bpftool
    {
        internal static string Run(string arguments)
        {
            var start = new ProcessStartInfo("bpftool", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"bpftool {arguments} failed ({process.ExitCode}): {error}{output}");
            return output;
        }

        internal static JsonElement Json(string arguments)
        {
            using var document = JsonDocument.Parse(Run(arguments + " --json"));
            return document.RootElement.Clone();
        }

        /// <summary>bytes as bpftool's command line takes them: "hex 0a 00 00 01".</summary>
        internal static string HexArgument(byte[] bytes) => "hex " + Convert.ToHexString(bytes).ToLowerInvariant().Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + " " + b);
    }
}
