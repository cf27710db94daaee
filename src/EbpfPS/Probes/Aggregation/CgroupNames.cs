using System.Collections.Generic;
using System.IO;
using EbpfPS.Interop;

namespace EbpfPS.Probes.Aggregation
{
    /// <summary>Cgroup v2 ids (bpf_get_current_cgroup_id: the inode of the cgroup's directory) as paths below the
    /// cgroup2 mount, found by walking it once per id not seen before.</summary>
    internal sealed class CgroupNames
    {
        private readonly Dictionary<ulong, string> _paths = new();
        private readonly Dictionary<ulong, string> _fullPaths = new();

        /// <summary>The cgroup's directory with its mount (/sys/fs/cgroup/unified/app), or null once it is gone.</summary>
        internal string? FullPathOf(ulong id)
        {
            if (!_paths.ContainsKey(id)) Of(id);
            return _fullPaths.GetValueOrDefault(id);
        }

        internal string Of(ulong id)
        {
            if (_paths.TryGetValue(id, out var path)) return path;
            foreach (var mount in TaskFilter.CgroupMounts(File.ReadLines("/proc/self/mountinfo")))
                Index(mount, mount);
            return _paths.TryGetValue(id, out path) ? path : _paths[id] = $"cgroup {id}"; // gone meanwhile
        }

        private void Index(string mount, string directory)
        {
            if (Libc.Stat(directory, out _) is { } status)
            {
                _paths.TryAdd(status.Inode, directory == mount ? "/" : directory[mount.Length..]);
                _fullPaths.TryAdd(status.Inode, directory);
            }
            try
            {
                foreach (var child in Directory.EnumerateDirectories(directory)) Index(mount, child);
            }
            catch (IOException) { } // removed while walked
            catch (System.UnauthorizedAccessException) { }
        }
    }
}
