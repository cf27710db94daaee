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
            if (!CanFilter(Privileges.EffectiveCapabilities()))
                throw new BpfException(BpfErrorKind.PermissionDenied,
                    "XDP filters need root, or the capabilities CAP_NET_ADMIN and CAP_BPF, and this process has neither.", Hint);
        }
    }
}
