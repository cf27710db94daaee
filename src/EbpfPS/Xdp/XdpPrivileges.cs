using EbpfPS.Core;

namespace EbpfPS.Xdp
{
    /// <summary>Whether this process may load XDP programs and attach them to interfaces.</summary>
    internal static class XdpPrivileges
    {
        private const int CapNetAdmin = 12, CapSysAdmin = 21, CapBpf = 39;

        internal const string Hint =
            "Run PowerShell as root (sudo pwsh), or grant CAP_NET_ADMIN and CAP_BPF (CAP_SYS_ADMIN on kernels before 5.8).";

        internal static bool CanFilter(ulong capabilities)
        {
            bool Has(int cap) => (capabilities & (1UL << cap)) != 0;
            return Has(CapNetAdmin) && (Has(CapBpf) || Has(CapSysAdmin));
        }

        internal static void Demand()
        {
            ulong capabilities = Privileges.EffectiveCapabilities();
            if (!CanFilter(capabilities))
                throw new BpfException(BpfErrorKind.PermissionDenied,
                    $"XDP filters need root, or the capabilities CAP_NET_ADMIN and CAP_BPF; this process lacks {Missing(capabilities)}.", Hint);
        }

        /// <summary>What the process lacks of CanFilter's needs, by name.</summary>
        internal static string Missing(ulong capabilities)
        {
            bool Has(int cap) => (capabilities & (1UL << cap)) != 0;
            bool bpf = Has(CapBpf) || Has(CapSysAdmin);
            return Has(CapNetAdmin) ? "CAP_BPF" : bpf ? "CAP_NET_ADMIN" : "both";
        }
    }
}
