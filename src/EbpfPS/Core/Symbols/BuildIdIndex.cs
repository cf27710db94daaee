using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace EbpfPS.Core.Symbols
{
    /// <summary>A file found by its build id: its path as its process saw it (or here), and the paths to read it from,
    /// best first (the process's own view of it, while the process lives).</summary>
    internal sealed record BuildIdFile(string Path, IReadOnlyList<string> ReadPaths);

    /// <summary>Which file has a build id. The kernel records a user stack's frames by build id and offset
    /// (bpf/stacks.h), so that a stack is named after its process has exited: the file is found among the files the
    /// process mapped (while it lives), a program of its command's name on the PATH, or the files of every running
    /// process (a short-lived process's libraries and loader are mapped by others too; scanned at most every 5 s). Each
    /// file's build id is read once, by device and inode.</summary>
    internal sealed class BuildIdIndex
    {
        private static readonly TimeSpan ScanAgainAfter = TimeSpan.FromSeconds(5);
        private static readonly string[] ProgramDirectories = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin" };

        private readonly Dictionary<string, BuildIdFile> _files = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Device, ulong Inode), string?> _ids = new();
        private readonly HashSet<int> _processesRead = new();
        private readonly HashSet<string> _programsRead = new(StringComparer.Ordinal);
        private readonly Stopwatch _sinceScan = new();

        /// <summary>The file of <paramref name="buildId"/>, of a frame of process <paramref name="pid"/> (whose mappings, as
        /// the caller read them, are <paramref name="mappings"/>) whose thread was named <paramref name="command"/>; null
        /// when none is found.</summary>
        internal BuildIdFile? Find(string buildId, int pid, ProcessMappings mappings, string? command)
        {
            if (_files.TryGetValue(buildId, out var file)) return file;
            if (_processesRead.Add(pid)) Learn(pid, mappings);
            if (command is not null && !_files.ContainsKey(buildId)) LearnProgram(command);
            if (!_files.ContainsKey(buildId) && (!_sinceScan.IsRunning || _sinceScan.Elapsed > ScanAgainAfter))
            {
                foreach (int other in RunningProcesses()) Learn(other, ProcessMappings.Read(other));
                _sinceScan.Restart();
            }
            return _files.GetValueOrDefault(buildId);
        }

        /// <summary>The build id of a file that process <paramref name="pid"/> maps, read through its view of the file.</summary>
        internal string? Of(int pid, ProcessMapping mapping)
        {
            var key = (mapping.Device, mapping.Inode);
            if (!_ids.TryGetValue(key, out var id))
                _ids[key] = id = mapping.ReadPaths(pid).Select(BuildIds.Read).FirstOrDefault(found => found is not null);
            return id;
        }

        private void Learn(int pid, ProcessMappings mappings)
        {
            foreach (var mapping in mappings.All.Where(m => m.IsFile))
                if (Of(pid, mapping) is { } id && !_files.ContainsKey(id))
                    _files[id] = new BuildIdFile(mapping.Path, mapping.ReadPaths(pid));
        }

        private void LearnProgram(string command)
        {
            var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ProgramDirectories);
            foreach (string path in directories.Select(directory => System.IO.Path.Combine(directory, command)).Distinct())
                if (_programsRead.Add(path) && File.Exists(path) && BuildIds.Read(path) is { } id)
                    _files.TryAdd(id, new BuildIdFile(path, new[] { path }));
        }

        private static IEnumerable<int> RunningProcesses() =>
            Directory.EnumerateDirectories("/proc").Select(System.IO.Path.GetFileName).Select(name => int.TryParse(name, out int pid) ? pid : 0).Where(pid => pid > 0);
    }
}
