using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace EbpfPS.Probes.TraceLog
{
    /// <summary>What a trace line leaves out about its thread, read from /proc while the thread runs:
    /// its process (trace_pipe shows the thread group only with the record-tgid option) and, where the
    /// kernel printed &lt;...&gt;, its name.</summary>
    internal sealed class ProcThreads
    {
        private const int MaxCached = 4096;
        private readonly Dictionary<int, int> _processOf = new();

        /// <summary>The process (thread group) of a thread; null once the thread has exited.</summary>
        internal int? ProcessOf(int threadId)
        {
            if (threadId == 0) return 0; // the idle task of every CPU
            if (_processOf.TryGetValue(threadId, out int cached)) return cached;
            if (ReadTgid(threadId) is not int tgid) return null;
            if (_processOf.Count >= MaxCached) _processOf.Clear(); // bounded: thread ids are reused in the long run
            _processOf[threadId] = tgid;
            return tgid;
        }

        internal static string? CommandOf(int threadId) => Read($"/proc/{threadId}/comm")?.TrimEnd('\n');

        private static int? ReadTgid(int threadId)
        {
            var status = Read($"/proc/{threadId}/status");
            if (status is null) return null;
            foreach (var line in status.Split('\n'))
                if (line.StartsWith("Tgid:", StringComparison.Ordinal)
                    && int.TryParse(line.AsSpan(5).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int tgid))
                    return tgid;
            return null;
        }

        private static string? Read(string path)
        {
            try { return File.ReadAllText(path); }
            catch (IOException) { return null; }
            catch (UnauthorizedAccessException) { return null; }
        }
    }
}
