namespace EbpfPS.Xdp
{
    /// <summary>Why an interface refused native XDP, and what the user can do, by driver.</summary>
    internal static class XdpNativeModeHint
    {
        internal static string For(string interfaceName, string? driver) => driver switch
        {
            "virtio_net" =>
                "virtio_net refuses native XDP while the host offloads receive work to this VM (GRO_HW/LRO and receive checksums, " +
                "the guest_tso4/tso6/ecn/ufo/csum features). Turn it off from the guest where the device allows it: " +
                $"ethtool -K {interfaceName} rx-gro-hw off (lro off on older kernels). If ethtool says the feature is fixed, turn the " +
                "offloads off for the VM's NIC on the hypervisor: QEMU -device virtio-net-pci,...,guest_tso4=off,guest_tso6=off," +
                "guest_ecn=off,guest_ufo=off,guest_csum=off; libvirt <driver><guest tso4='off' tso6='off' ecn='off' ufo='off' csum='off'/></driver>. " +
                $"virtio_net also needs spare queues for XDP (fewer active ones: ethtool -L {interfaceName} combined N) and an MTU that fits a page " +
                $"(ip link set dev {interfaceName} mtu 1500).",
            null =>
                $"The driver of {interfaceName} has no native XDP support. Generic mode works on every interface, later in the receive path and more slowly.",
            _ =>
                $"The driver of {interfaceName} ({driver}) has no native XDP support, or refused it in its present configuration " +
                $"(`dmesg` may say why; large MTUs and some offloads prevent it). Generic mode works on every interface, later in the receive path and more slowly.",
        };
    }
}
