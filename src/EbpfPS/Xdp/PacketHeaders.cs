using System.Net;
using System.Net.Sockets;

namespace EbpfPS.Xdp
{
    /// <summary>The header fields of one IP packet that rules match on; ports only for TCP and UDP
    /// (and not for a later fragment, which carries none).</summary>
    internal readonly record struct PacketHeaders(IPAddress Source, IPAddress Destination, byte Protocol,
        ushort? SourcePort = null, ushort? DestinationPort = null)
    {
        internal int Family => Source.AddressFamily == AddressFamily.InterNetwork ? 4 : 6;
    }
}
