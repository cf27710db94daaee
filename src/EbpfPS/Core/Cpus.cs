using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace EbpfPS.Core
{
    /// <summary>The machine's CPUs as the kernel lists them: "0-3,6,8-9" in /sys/devices/system/cpu/online.</summary>
    internal static class Cpus
    {
        internal const string OnlinePath = "/sys/devices/system/cpu/online";

        /// <summary>The CPUs online now.</summary>
        internal static IReadOnlyList<int> Online() => Parse(File.ReadAllText(OnlinePath));

        internal static List<int> Parse(string list)
        {
            var cpus = new List<int>();
            foreach (var part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                int dash = part.IndexOf('-');
                int first = int.Parse(dash < 0 ? part : part[..dash], CultureInfo.InvariantCulture);
                int last = dash < 0 ? first : int.Parse(part[(dash + 1)..], CultureInfo.InvariantCulture);
                for (int cpu = first; cpu <= last; cpu++) cpus.Add(cpu);
            }
            return cpus;
        }
    }
}
