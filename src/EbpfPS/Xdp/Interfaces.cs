using System;
using System.IO;
using System.Linq;
using System.Text;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Xdp
{
    /// <summary>Network interfaces as the calling thread's network namespace sees them.</summary>
    internal static unsafe class Interfaces
    {
        /// <summary>What the kernel accepts as an interface name (dev_valid_name): safe as a file name too.</summary>
        internal static bool IsValidName(string name) =>
            name.Length is > 0 and < 16 && name != "." && name != ".." && name.IndexOfAny(new[] { '/', ':', '\0' }) < 0
            && !name.Any(char.IsWhiteSpace);

        /// <summary>The interface's index, or 0 when there is none of that name.</summary>
        internal static int Index(string name) => IsValidName(name) ? (int)Libc.if_nametoindex(name) : 0;

        internal static int DemandIndex(string name)
        {
            int index = Index(name);
            if (index == 0)
                throw new BpfException(BpfErrorKind.NotFound, $"There is no network interface '{name}' in this network namespace.",
                    "`ip -brief link` lists the interfaces; for one in another namespace run the command there (nsenter --net=/run/netns/NAME).")
                { ErrorId = BpfErrorIds.InterfaceNotFound };
            return index;
        }

        /// <summary>Inode of the calling thread's network namespace (what `ip netns identify` compares).</summary>
        internal static ulong NetworkNamespace()
        {
            // The link reads "net:[4026531840]".
            string target = new FileInfo("/proc/thread-self/ns/net").LinkTarget ?? "";
            int open = target.IndexOf('['), close = target.IndexOf(']');
            return open > 0 && close > open && ulong.TryParse(target.AsSpan(open + 1, close - open - 1), out ulong inode) ? inode : 0;
        }

        /// <summary>The interface's driver as ethtool -i names it (virtio_net, veth, mlx5_core), or null.</summary>
        internal static string? Driver(string name)
        {
            if (!IsValidName(name)) return null;
            int socket = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
            if (socket < 0) return null;
            try
            {
                var info = new Libc.EthtoolDriverInfo { Command = Libc.ETHTOOL_GDRVINFO };
                var request = new Libc.InterfaceRequest { Data = (nint)(&info) };
                Encoding.UTF8.GetBytes(name).CopyTo(new Span<byte>(request.Name, 15));
                if (Libc.ioctl(socket, Libc.SIOCETHTOOL, &request) != 0) return null;
                string driver = CStrings.Read(info.Driver, 32);
                return driver.Length == 0 ? null : driver;
            }
            finally
            {
                Libc.close(socket);
            }
        }
    }
}
