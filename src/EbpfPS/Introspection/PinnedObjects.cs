using System;
using System.Collections.Generic;
using System.IO;
using EbpfPS.Interop;

namespace EbpfPS.Introspection
{
    /// <summary>Where objects are pinned: every file under every bpffs mount, opened to learn its kind and id
    /// (what `bpftool -f` does). Taken once per command.</summary>
    internal sealed class PinnedObjects
    {
        private readonly Dictionary<(BpfObjectKind, uint), List<string>> _paths = new();

        internal string[] PathsOf(BpfObjectKind kind, uint id) =>
            _paths.TryGetValue((kind, id), out var paths) ? paths.ToArray() : Array.Empty<string>();

        internal static PinnedObjects Scan()
        {
            var pins = new PinnedObjects();
            foreach (var mount in BpfFsMounts())
                foreach (var path in Files(mount))
                    pins.Add(path);
            return pins;
        }

        internal static List<string> BpfFsMounts()
        {
            var mounts = new List<string>();
            foreach (var line in File.ReadLines("/proc/mounts"))
            {
                var fields = line.Split(' ');
                if (fields.Length > 2 && fields[2] == "bpf") mounts.Add(fields[1].Replace("\\040", " "));
            }
            return mounts;
        }

        private static IEnumerable<string> Files(string root)
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
            try { return Directory.EnumerateFiles(root, "*", options); }
            catch (IOException) { return Array.Empty<string>(); }
            catch (UnauthorizedAccessException) { return Array.Empty<string>(); }
        }

        private void Add(string path)
        {
            int fd = Libbpf.bpf_obj_get(path);
            if (fd < 0) return;
            using var handle = new FileDescriptorHandle(fd);
            if (KernelObjectIds.KindOf(fd) is not { } kind) return;
            uint id = ObjectInfo.IdOf(fd);
            if (id == 0) return;
            if (!_paths.TryGetValue((kind, id), out var paths)) _paths[(kind, id)] = paths = new List<string>();
            paths.Add(path);
        }
    }
}
