using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using EbpfPS.Interop;

namespace EbpfPS.Introspection.Features
{
    /// <summary>Which interfaces run XDP in their driver (native mode), as the kernel's "netdev" netlink family
    /// reports it (6.3+): asked, not tried, so no interface is touched.</summary>
    internal static class XdpFeatures
    {
        private const byte DeviceGet = 1;
        private const ushort IfIndexAttribute = 1, XdpFeaturesAttribute = 3;
        private const ulong XdpBasic = 1; // NETDEV_XDP_ACT_BASIC: XDP_PASS, XDP_DROP, XDP_TX in the driver

        internal static BpfFeature Native()
        {
            var feature = new BpfFeature { Category = KernelFeatures.Kernel, Name = "XdpNative" };
            var native = new List<string>();
            var genericOnly = new List<string>();
            try
            {
                using var netlink = new GenericNetlink();
                if (netlink.FamilyId("netdev") is not { } family)
                {
                    feature.Detail = "This kernel has no \"netdev\" netlink family (6.3+) to say which drivers do native XDP; " +
                        "attaching in native mode is the only test, and Add-BpfXdpFilter falls back to generic mode.";
                    return feature;
                }
                var names = NetworkInterfaces.ByIndex();
                foreach (var device in netlink.Ask(family, DeviceGet, System.Array.Empty<byte>(), dump: true))
                {
                    if (!device.TryGetValue(IfIndexAttribute, out var index) || !device.TryGetValue(XdpFeaturesAttribute, out var flags)) continue;
                    int ifIndex = BinaryPrimitives.ReadInt32LittleEndian(index);
                    string name = names.TryGetValue(ifIndex, out var n) ? n : $"ifindex {ifIndex}";
                    (((BinaryPrimitives.ReadUInt64LittleEndian(flags) & XdpBasic) != 0) ? native : genericOnly).Add(name);
                }
            }
            catch (NetlinkException e)
            {
                feature.Detail = $"Asking the kernel's netdev family failed ({e.Message}).";
                return feature;
            }
            feature.Supported = native.Count > 0;
            feature.Detail = (native.Count > 0 ? $"Native XDP: {string.Join(", ", native)}." : "No interface's driver does native XDP.")
                + (genericOnly.Count > 0 ? $" Generic mode only: {string.Join(", ", genericOnly.OrderBy(x => x))}." : "");
            return feature;
        }
    }
}
