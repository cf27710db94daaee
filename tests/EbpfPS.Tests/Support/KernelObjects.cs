using System.Collections.Generic;
using System.Diagnostics;
using System.Text.Json;

namespace EbpfPS.Tests.Support
{
    /// <summary>What bpftool sees loaded in the kernel: the reference for leak checks.</summary>
    internal static class KernelObjects
    {
        /// <summary>Names of loaded programs whose name starts with "ebpfps" (all of ours do).</summary>
        internal static List<string> OurPrograms()
        {
            var names = new List<string>();
            using var json = JsonDocument.Parse(Bpftool("prog show --json"));
            foreach (var program in json.RootElement.EnumerateArray())
                if (program.TryGetProperty("name", out var name) && name.GetString()!.StartsWith("ebpfps"))
                    names.Add($"{program.GetProperty("id").GetInt32()}:{name.GetString()}");
            return names;
        }

        /// <summary>Our programs once the kernel has freed what was released: it frees a program after an
        /// RCU grace period, so a released one can stay listed for some milliseconds.</summary>
        internal static List<string> OurProgramsSettled(IReadOnlyCollection<string> expected)
        {
            var deadline = System.DateTime.UtcNow.AddSeconds(3);
            List<string> now;
            while ((now = OurPrograms()).Count != expected.Count && System.DateTime.UtcNow < deadline)
                System.Threading.Thread.Sleep(20);
            return now;
        }

        private static string Bpftool(string arguments)
        {
            var start = new ProcessStartInfo("bpftool", arguments) { RedirectStandardOutput = true };
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return output;
        }
    }
}
