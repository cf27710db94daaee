using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using EbpfPS.Bpf;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Probes
{
    /// <summary>Which tasks a trace sees, decided in the kernel before a record is written (bpf/task_match.h):
    /// process ids (and the processes they start), user ids, command names and a cgroup v2 subtree.</summary>
    internal sealed class TaskFilter
    {
        internal const int MaxUserIds = TaskMatch.UidsLength, MaxCommands = TaskMatch.CommsLength, CommLength = CommPattern.TextLength;

        internal static readonly TaskFilter Everyone = new(Array.Empty<int>(), false, Array.Empty<int>(), Array.Empty<string>(), null);

        private TaskFilter(IReadOnlyCollection<int> processIds, bool includeChildren, IReadOnlyCollection<int> userIds,
            IReadOnlyList<string> commands, string? cgroup)
        {
            ProcessIds = processIds;
            IncludeChildren = includeChildren;
            UserIds = userIds;
            Commands = commands;
            Cgroup = cgroup;
        }

        internal IReadOnlyCollection<int> ProcessIds { get; }

        /// <summary>Also the processes that <see cref="ProcessIds"/> have started, before and during the trace.</summary>
        internal bool IncludeChildren { get; }
        internal IReadOnlyCollection<int> UserIds { get; }

        /// <summary>Command names: exact, or a prefix followed by one *.</summary>
        internal IReadOnlyList<string> Commands { get; }

        /// <summary>The cgroup v2 directory, full path, or null for any.</summary>
        internal string? Cgroup { get; }

        internal static TaskFilter ForProcesses(IReadOnlyCollection<int> processIds, bool includeChildren = false) =>
            new(processIds, includeChildren, Array.Empty<int>(), Array.Empty<string>(), null);

        /// <summary>Checks what the user gave; <paramref name="cgroup"/> is a full path or one relative to the
        /// cgroup v2 mount.</summary>
        internal static TaskFilter Create(IReadOnlyCollection<int> processIds, bool includeChildren, IReadOnlyCollection<int> userIds,
            IReadOnlyList<string> commands, string? cgroup, IEnumerable<string>? mountInfo = null)
        {
            if (includeChildren && processIds.Count == 0)
                throw new BpfException(BpfErrorKind.InvalidArgument, "-IncludeChildren follows the processes given with -ProcessId, and none was given.",
                    "Name the parent processes: -ProcessId 4242 -IncludeChildren.") { ErrorId = BpfErrorIds.IncludeChildrenWithoutProcessId };
            if (userIds.Count > MaxUserIds)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"At most {MaxUserIds} user ids can be filtered on, not {userIds.Count}.",
                    "Filter on fewer users, or filter the rest with Where-Object.");
            if (commands.Count > MaxCommands)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"At most {MaxCommands} command names can be filtered on, not {commands.Count}.",
                    "Filter on fewer names, or filter the rest with Where-Object.");
            foreach (var command in commands) Pattern(command);
            string? path = cgroup is null ? null : ResolveCgroup(cgroup, mountInfo ?? File.ReadLines("/proc/self/mountinfo"));
            return new TaskFilter(processIds, includeChildren, userIds, commands, path);
        }

        /// <summary>A command pattern as the kernel compares it: the lower-case bytes and how many of them count
        /// (a name without * counts its NUL, so that "bash" is not "bashbug"). Names are cut to the kernel's 15.</summary>
        internal static (byte[] Text, int Length) Pattern(string command)
        {
            int star = command.IndexOf('*');
            bool prefix = star == command.Length - 1;
            if (command.Length == 0 || command.IndexOfAny(new[] { '?', '[', ']' }) >= 0 || (star >= 0 && !prefix))
                throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"The command name '{command}' cannot be matched in the kernel: it takes a name (bash) or a prefix with one * at the end (python*).",
                    "Give a name or a prefix*, and filter further with Where-Object Command -like '...'.") { ErrorId = BpfErrorIds.InvalidCommandPattern };
            var text = Encoding.UTF8.GetBytes((prefix ? command[..^1] : command).ToLowerInvariant());
            if (text.Length >= CommLength) return (text[..(CommLength - 1)], CommLength - 1); // the kernel keeps 15 bytes
            return (text, prefix ? text.Length : text.Length + 1);
        }

        /// <summary>The full path of a cgroup v2 directory: as given when it is absolute, else under the first
        /// cgroup2 mount.</summary>
        internal static string ResolveCgroup(string cgroup, IEnumerable<string> mountInfo)
        {
            var mounts = CgroupMounts(mountInfo);
            string path = Path.IsPathRooted(cgroup) ? Path.GetFullPath(cgroup)
                : mounts.Count > 0 ? Path.GetFullPath(Path.Combine(mounts[0], cgroup))
                : throw new BpfException(BpfErrorKind.NotSupported, "No cgroup v2 file system is mounted.",
                    "Mount one: mount -t cgroup2 none /sys/fs/cgroup (or give the full path of a cgroup v2 directory).") { ErrorId = BpfErrorIds.CgroupV2NotMounted };
            if (!Directory.Exists(path) && Libc.Stat(path, out _) is { } other)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"'{path}' is {UserFiles.Describe(other)}, not a cgroup: a cgroup is a directory.",
                    "Give a cgroup v2 directory, e.g. /sys/fs/cgroup/system.slice/ssh.service; a process's is in /proc/PID/cgroup (the 0:: line).") { ErrorId = BpfErrorIds.CgroupNotADirectory };
            if (!Directory.Exists(path))
                throw new BpfException(BpfErrorKind.NotFound, $"The cgroup '{path}' does not exist.",
                    "Give a cgroup v2 directory, e.g. /sys/fs/cgroup/system.slice/ssh.service or a path relative to the cgroup v2 mount; " +
                    "a process's is in /proc/PID/cgroup (the 0:: line).") { ErrorId = BpfErrorIds.CgroupNotFound };
            string trimmed = path.TrimEnd('/');
            if (!mounts.Any(m => trimmed == m.TrimEnd('/') || trimmed.StartsWith(m.TrimEnd('/') + "/", StringComparison.Ordinal)))
                throw new BpfException(BpfErrorKind.InvalidArgument, $"'{path}' is not in a cgroup v2 file system" +
                    (mounts.Count > 0 ? $" (cgroup v2 is mounted at {string.Join(", ", mounts)})." : " (none is mounted)."),
                    "BPF filters on cgroup v2 only: give a directory under the cgroup2 mount.") { ErrorId = BpfErrorIds.CgroupNotV2 };
            return path;
        }

        internal static List<string> CgroupMounts(IEnumerable<string> mountInfo)
        {
            // "35 24 0:30 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw": mount point 5th, type after " - ".
            var mounts = new List<string>();
            foreach (var line in mountInfo)
            {
                var fields = line.Split(' ');
                int separator = Array.IndexOf(fields, "-");
                if (fields.Length > 4 && separator > 0 && separator + 1 < fields.Length && fields[separator + 1] == "cgroup2")
                    mounts.Add(fields[4].Replace("\\040", " "));
            }
            return mounts;
        }

        /// <summary>Before load: the process set and task_match. With <paramref name="excludeSelf"/> and no process
        /// ids, this process is left out: a tracer that sees its own start-up (the files pwsh opens, its reader's
        /// syscalls) shows noise first.</summary>
        internal unsafe void Configure(IOpenTaskMatchSkeleton skeleton, bool excludeSelf = false)
        {
            SetPidSet(ref skeleton.Pids, ProcessIds, excludeSelf);
            skeleton.IncludeChildren = IncludeChildren;
            skeleton.Fork.SetAutoload(IncludeChildren);
            if (UserIds.Count == 0 && Commands.Count == 0 && Cgroup is null) return;
            var match = new TaskMatch { UidCount = (uint)UserIds.Count, CommCount = (uint)Commands.Count, InCgroup = Cgroup is null ? 0u : 1u };
            int i = 0;
            foreach (int uid in UserIds) match.Uids[i++] = (uint)uid;
            for (i = 0; i < Commands.Count; i++)
            {
                var (text, length) = Pattern(Commands[i]);
                ref var pattern = ref match.Comms[i];
                pattern.Len = (uint)length;
                fixed (byte* patternText = pattern.Text) text.CopyTo(new Span<byte>(patternText, CommPattern.TextLength));
            }
            skeleton.TaskMatch = match;
        }

        /// <summary>After load: the cgroup the kernel compares with, by a descriptor of its directory; with
        /// <see cref="IncludeChildren"/>, the fork hook attached first, then the children the processes have now, so
        /// that none started in between is missed.</summary>
        internal void Fill(ITaskMatchSkeleton skeleton)
        {
            if (IncludeChildren)
            {
                skeleton.Object.Attach(skeleton.Fork);
                foreach (int child in ProcessTree.Descendants(ProcessIds).Take((int)skeleton.Children.MaxEntries)) skeleton.Children.Update((uint)child, (byte)1);
            }
            if (Cgroup is null) return;
            int fd = Libc.open(Cgroup, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
            if (fd < 0)
                throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.InvalidArgument, $"Opening the cgroup '{Cgroup}' failed");
            try { skeleton.CgroupFilter.Update(0u, (uint)fd); }
            finally { Libc.close(fd); }
        }

        /// <summary>Writes a PID_SET global of bpf/common.h before load. No process ids lets every process through,
        /// but this one with <paramref name="excludeSelf"/>.</summary>
        internal static unsafe void SetPidSet(ref PidSet global, IReadOnlyCollection<int> pids, bool excludeSelf = false)
        {
            if (pids.Count > PidSet.PidsLength)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"At most {PidSet.PidsLength} process ids can be filtered on, not {pids.Count}.",
                    "Filter on fewer processes, or filter the rest with Where-Object.");
            var set = new PidSet { Count = (uint)pids.Count, Exclude = pids.Count == 0 && excludeSelf ? (uint)Environment.ProcessId : 0 };
            int i = 0;
            foreach (int pid in pids) set.Pids[i++] = (uint)pid;
            global = set;
        }
    }
}
