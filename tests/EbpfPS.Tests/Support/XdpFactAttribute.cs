using EbpfPS.Core;
using EbpfPS.Xdp;
using System.Runtime.CompilerServices;
using Xunit;

namespace EbpfPS.Tests.Support
{
    /// <summary>A test that attaches XDP programs to interfaces of network namespaces it creates: it needs
    /// root, and skips saying so where the process does not have it.</summary>
    public sealed class XdpFactAttribute : FactAttribute
    {
        public XdpFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
            : base(sourceFilePath, sourceLineNumber)
        {
            if (!XdpPrivileges.CanFilter(Privileges.EffectiveCapabilities()) || !Privileges.CanTrace(Privileges.EffectiveCapabilities()))
                Skip = "needs root (CAP_NET_ADMIN + CAP_BPF, and CAP_SYS_ADMIN for network namespaces) to attach XDP programs";
        }
    }
}
