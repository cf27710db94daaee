using System;
using System.IO;
using EbpfPS.Interop;

namespace EbpfPS.Core
{
    /// <summary>What the engine needs from this system, checked before anything is loaded so that each
    /// missing piece gets its own error and hint instead of an obscure failure later.</summary>
    internal static class KernelSupport
    {
        internal const string KernelBtfPath = "/sys/kernel/btf/vmlinux";
        internal static readonly Version MinimumLibbpf = new(1, 0);
        internal static readonly string[] TraceFsPaths = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

        /// <summary>Everything a tracing program of ours needs: privileges, libbpf, kernel BTF.</summary>
        internal static void DemandTracing()
        {
            Privileges.Demand();
            DemandLibbpf();
            DemandKernelBtf();
        }

        internal static Version LibbpfVersion()
        {
            try
            {
                return new Version((int)Libbpf.libbpf_major_version(), (int)Libbpf.libbpf_minor_version());
            }
            catch (DllNotFoundException e)
            {
                throw new BpfException(BpfErrorKind.LibbpfNotFound,
                    $"{Libbpf.Library} could not be loaded: {e.Message}",
                    "Install libbpf 1.0 or newer (Debian/Ubuntu: apt-get install libbpf1; Fedora: dnf install libbpf).", e);
            }
            catch (EntryPointNotFoundException e)
            {
                throw TooOld("older than 0.6", e);
            }
        }

        internal static void DemandLibbpf()
        {
            var version = LibbpfVersion();
            if (version < MinimumLibbpf) throw TooOld(version.ToString(), null);
        }

        private static BpfException TooOld(string version, Exception? inner) => new(BpfErrorKind.LibbpfTooOld,
            $"{Libbpf.Library} is version {version}; EbpfPS needs {MinimumLibbpf} or newer.",
            "Upgrade libbpf (Debian 12 and Ubuntu 22.04 ship 1.x).", inner);

        internal static void DemandKernelBtf(string path = KernelBtfPath)
        {
            if (!File.Exists(path))
                throw new BpfException(BpfErrorKind.KernelBtfMissing,
                    $"This kernel has no BTF type information ({path} is missing), which EbpfPS's CO-RE programs need.",
                    "Boot a kernel built with CONFIG_DEBUG_INFO_BTF=y (the default in current Debian, Ubuntu, Fedora and RHEL kernels).");
        }

        /// <summary>A mounted tracefs looks absent to a user who may not list it (its root is mode 700).</summary>
        private static bool MayNotLookInside(string path)
        {
            try { Directory.EnumerateFileSystemEntries(path).GetEnumerator().MoveNext(); return false; }
            catch (UnauthorizedAccessException) { return true; }
            catch (IOException) { return false; }
        }

        internal const string TraceFsRootHint = "Run PowerShell as root (sudo pwsh): tracefs lets only root in.";

        /// <summary>Whether tracefs is there but closed to this process (it is root's, mode 700).</summary>
        internal static bool TraceFsClosed() => MayNotLookInside(TraceFsPaths[0]);

        /// <summary>The tracefs mount point, mounting tracefs at /sys/kernel/tracing when it is absent.</summary>
        internal static string DemandTraceFs()
        {
            foreach (var path in TraceFsPaths)
                if (Directory.Exists(Path.Combine(path, "events")))
                    return path;
            string target = TraceFsPaths[0];
            if (MayNotLookInside(target))
                throw new BpfException(BpfErrorKind.PermissionDenied,
                    $"Reading tracefs ({target}) needs root: this process may not look inside it.", TraceFsRootHint);
            if (Directory.Exists(target) && Libc.mount("nodev", target, "tracefs", 0, 0) == 0)
                return target;
            throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.TraceFsUnavailable,
                $"tracefs is not mounted and mounting it at {target} failed",
                $"Mount it: mount -t tracefs nodev {target} (kernel option CONFIG_TRACING).");
        }
    }
}
