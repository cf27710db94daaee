using System;
using System.Collections.Generic;
using System.IO;

namespace EbpfPS.Core
{
    /// <summary>Parent and child processes as /proc shows them now.</summary>
    internal static class ProcessTree
    {
        /// <summary>The processes below <paramref name="roots"/> (children, theirs...), not the roots themselves.</summary>
        internal static IEnumerable<int> Descendants(IEnumerable<int> roots)
        {
            var children = new Dictionary<int, List<int>>();
            foreach (var (pid, parent) in Parents())
            {
                if (!children.TryGetValue(parent, out var list)) children[parent] = list = new List<int>();
                list.Add(pid);
            }
            var pending = new Queue<int>(roots);
            var seen = new HashSet<int>(roots);
            while (pending.Count > 0)
            {
                if (!children.TryGetValue(pending.Dequeue(), out var list)) continue;
                foreach (int child in list)
                {
                    if (!seen.Add(child)) continue;
                    pending.Enqueue(child);
                    yield return child;
                }
            }
        }

        /// <summary>Each process with its parent, from /proc/PID/stat; processes that exit meanwhile are left out.</summary>
        private static IEnumerable<(int Pid, int Parent)> Parents()
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
                string stat;
                try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
                catch (IOException) { continue; }
                int? parent = ParentOf(stat);
                if (parent is int p) yield return (pid, p);
            }
        }

        /// <summary>"4242 (my (odd) name) S 1 ...": the parent is the second field after the command's last ')'.</summary>
        internal static int? ParentOf(string stat)
        {
            var rest = stat.AsSpan(stat.LastIndexOf(')') + 1).Trim();
            int space = rest.IndexOf(' ');
            if (space < 0) return null;
            rest = rest[(space + 1)..];
            int end = rest.IndexOf(' ');
            return int.TryParse(end < 0 ? rest : rest[..end], out int parent) ? parent : null;
        }
    }
}
