namespace EbpfPS
{
    /// <summary>What an XDP filter rule does with the packets it matches (values of enum xdp_action).</summary>
    public enum XdpAction
    {
        Drop = 1,
        Pass = 2,
    }

    /// <summary>Where an XDP program runs: in the driver (Native) or after the kernel built its socket
    /// buffer (Generic: works on every interface, slower).</summary>
    public enum XdpMode
    {
        Native,
        Generic,
    }
}
