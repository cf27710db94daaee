using System;
using System.Globalization;
using System.IO;

namespace EbpfPS.Core
{
    /// <summary>Whether this process may load and attach BPF tracing programs.</summary>
    internal static class Privileges
    {
        private const string GrantHint =
            "Run PowerShell as root (sudo pwsh), or grant CAP_BPF and CAP_PERFMON (CAP_SYS_ADMIN on kernels before 5.8).";

        /// <summary>What to do about EPERM or EACCES, from what this process already has: telling a process with
        /// CAP_BPF and CAP_PERFMON to get them, or root to become root, helps no one.</summary>
        internal static string Hint => HintFor(EffectiveCapabilities());

        internal static string HintFor(ulong capabilities)
        {
            bool Has(int cap) => (capabilities & (1UL << cap)) != 0;
            if (Has(CapSysAdmin))
                return "This process has CAP_SYS_ADMIN, and the kernel still refused: kernel lockdown (cat /sys/kernel/security/lockdown), " +
                       "an LSM (SELinux, AppArmor, BPF LSM) or a seccomp filter forbids it. Check them, or the kernel log (dmesg).";
            if (Has(CapBpf) && Has(CapPerfmon))
                return "This process has CAP_BPF and CAP_PERFMON, which are not enough for this: it also needs CAP_SYS_ADMIN " +
                       "(or CAP_NET_ADMIN for networking programs). Run PowerShell as root (sudo pwsh).";
            return GrantHint;
        }

        /// <summary>Listing and opening BPF objects by id (Get-BpfProgram, Read-BpfMap -Id or -Name) need CAP_SYS_ADMIN
        /// whatever else the process has.</summary>
        internal static string? ByIdHint(int errno) => errno is 1 or 13
            ? "Listing and opening the kernel's BPF objects by id needs CAP_SYS_ADMIN; CAP_BPF and CAP_PERFMON are not enough. Run PowerShell as root (sudo pwsh)."
            : null;

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
                    GrantHint);
        }
    }
}
