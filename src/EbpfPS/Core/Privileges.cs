using System;
using System.Globalization;
using System.IO;

namespace EbpfPS.Core
{
    /// <summary>Whether this process may load and attach BPF tracing programs.</summary>
    internal static class Privileges
    {
        internal const string Hint =
            "Run PowerShell as root (sudo pwsh), or grant CAP_BPF and CAP_PERFMON (CAP_SYS_ADMIN on kernels before 5.8).";

        private const int CapSysAdmin = 21, CapPerfmon = 38, CapBpf = 39;

        /// <summary>The effective capability set of this process (CapEff in /proc/self/status).</summary>
        internal static ulong EffectiveCapabilities(string statusPath = "/proc/self/status")
        {
            foreach (var line in File.ReadLines(statusPath))
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                    return ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return 0;
        }

        internal static bool CanTrace(ulong capabilities)
        {
            bool Has(int cap) => (capabilities & (1UL << cap)) != 0;
            return Has(CapSysAdmin) || (Has(CapBpf) && Has(CapPerfmon));
        }

        internal static void Demand()
        {
            if (!CanTrace(EffectiveCapabilities()))
                throw new BpfException(BpfErrorKind.PermissionDenied,
                    "Loading eBPF programs needs root or the capabilities CAP_BPF and CAP_PERFMON, and this process has neither.",
                    Hint);
        }
    }
}
