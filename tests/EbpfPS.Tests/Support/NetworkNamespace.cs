using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EbpfPS.Tests.Support
{
    /// <summary>Moves the calling thread into a network namespace until disposed. Sockets made meanwhile
    /// stay in it; the engine's interface lookups and PowerShell on this thread see its interfaces.</summary>
    internal sealed partial class NetworkNamespace : IDisposable
    {
        private const int CLONE_NEWNET = 0x40000000;
        private readonly SafeFileHandle _previous;

        private NetworkNamespace(string path)
        {
            _previous = File.OpenHandle("/proc/thread-self/ns/net");
            Switch(path);
        }

        /// <summary>Enters /run/netns/<paramref name="name"/> (what `ip netns add` made).</summary>
        internal static NetworkNamespace Enter(string name) => new($"/run/netns/{name}");

        private static void Switch(string path)
        {
            using var target = File.OpenHandle(path);
            if (setns((int)target.DangerousGetHandle(), CLONE_NEWNET) != 0)
                throw new InvalidOperationException($"setns({path}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        public void Dispose()
        {
            if (setns((int)_previous.DangerousGetHandle(), CLONE_NEWNET) != 0)
                throw new InvalidOperationException($"setns back failed: errno {Marshal.GetLastPInvokeError()}");
            _previous.Dispose();
        }

        [LibraryImport("libc", SetLastError = true)] private static partial int setns(int fd, int type);
    }
}
