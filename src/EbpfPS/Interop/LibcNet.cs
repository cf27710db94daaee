using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>libc calls about network interfaces; they act in the calling thread's network namespace.</summary>
    internal static unsafe partial class Libc
    {
        internal const int AF_INET = 2, SOCK_DGRAM = 2;
        internal const nuint SIOCETHTOOL = 0x8946;
        internal const uint ETHTOOL_GDRVINFO = 3;

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial uint if_nametoindex(string name);

        [LibraryImport(Library, SetLastError = true)] internal static partial int ioctl(int fd, nuint request, void* argument);

        /// <summary>struct ifreq with ifr_data (40 bytes on 64-bit Linux).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct InterfaceRequest
        {
            public fixed byte Name[16];
            public nint Data;
            public fixed byte Padding[16];
        }

        /// <summary>struct ethtool_drvinfo, up to the fields read.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct EthtoolDriverInfo
        {
            public uint Command;
            public fixed byte Driver[32];
            public fixed byte Version[32];
            public fixed byte FirmwareVersion[32];
            public fixed byte BusInfo[32];
            public fixed byte ExpansionRomVersion[32];
            public fixed byte Reserved[12];
            public uint PrivateFlagCount;
            public uint StatisticCount;
            public uint TestInfoLength;
            public uint EepromLength;
            public uint RegisterDumpLength;
        }
    }
}
