using System;
using System.Collections.Generic;
using System.IO;

namespace EbpfPS.Tests.Support
{
    /// <summary>What is loaded in the kernel: for leak checks.</summary>
    internal static class KernelObjects
    {
        /// <summary>This process's file descriptors of BPF programs, maps, links and BTF, of perf events
        /// (tracepoint and kprobe attachments) and of trace_pipe, by what they point at. Unlike a system-wide
        /// listing this sees only our own, so other processes tracing on the same kernel do not disturb a leak
        /// check. (Not epoll instances: the runtime opens its own the first time it reads a child's output.)</summary>
        internal static List<string> HeldByThisProcess()
        {
            var held = new List<string>();
            foreach (var fd in Directory.GetFiles("/proc/self/fd"))
            {
                string? target;
                try { target = new FileInfo(fd).LinkTarget; }
                catch (IOException) { continue; } // closed meanwhile
                if (target is not null && (target.StartsWith("anon_inode:bpf", StringComparison.Ordinal) || target is "anon_inode:btf"
                    or "anon_inode:[perf_event]" || target.EndsWith("/trace_pipe", StringComparison.Ordinal)))
                    held.Add($"{Path.GetFileName(fd)}:{target}");
            }
            return held;
        }
    }
}
