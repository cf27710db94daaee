using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace EbpfPS.Core.Symbols
{
    /// <summary>A line of /proc/PID/maps: "55d4c5a00000-55d4c5a21000 r-xp 00002000 fd:01 1835 /usr/bin/cat".
    /// Path is empty for anonymous memory and [heap], [stack], [vdso] for the kernel's own.</summary>
    internal readonly record struct ProcessMapping(ulong Start, ulong End, bool Executable, ulong Offset, string Device, ulong Inode, string Path)
    {
        /// <summary>A mapping of a file, which may have symbols (not [vdso] or anonymous memory such as a JIT's).</summary>
        internal bool IsFile => Inode != 0 && Path.StartsWith('/');

        /// <summary>Where process PID's file can be read: its own view of it (/proc/PID/map_files: the very file, even
        /// deleted or in another mount namespace) while the process lives, then the path through its root, then the path
        /// as it is here.</summary>
        internal string[] ReadPaths(int pid) => new[] { $"/proc/{pid}/map_files/{Start:x}-{End:x}", $"/proc/{pid}/root{Path}", Path };

        internal static ProcessMapping? Parse(string line)
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5) return null;
            int dash = fields[0].IndexOf('-');
            if (dash < 0
                || !ulong.TryParse(fields[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                || !ulong.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end)
                || !ulong.TryParse(fields[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong offset)
                || !ulong.TryParse(fields[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong inode))
                return null;
            string path = fields.Length == 6 ? fields[5].Trim() : "";
            return new ProcessMapping(start, end, fields[1].Length > 2 && fields[1][2] == 'x', offset, fields[3], inode, path);
        }
    }

    /// <summary>A process's mappings, by address.</summary>
    internal sealed class ProcessMappings
    {
        private readonly ProcessMapping[] _mappings;

        internal ProcessMappings(IEnumerable<ProcessMapping> mappings) => _mappings = mappings.OrderBy(m => m.Start).ToArray();

        internal IReadOnlyList<ProcessMapping> All => _mappings;

        /// <summary>Those of process PID now; none when it has exited (or is a kernel thread).</summary>
        internal static ProcessMappings Read(int pid)
        {
            try
            {
                return new ProcessMappings(File.ReadLines($"/proc/{pid}/maps").Select(ProcessMapping.Parse).OfType<ProcessMapping>().ToList());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new ProcessMappings(Array.Empty<ProcessMapping>());
            }
        }

        internal ProcessMapping? Find(ulong address)
        {
            int low = 0, high = _mappings.Length - 1;
            while (low <= high)
            {
                int middle = low + (high - low) / 2;
                if (address < _mappings[middle].Start) high = middle - 1;
                else if (address >= _mappings[middle].End) low = middle + 1;
                else return _mappings[middle];
            }
            return null;
        }
    }
}
