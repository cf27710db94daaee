using System;
using System.IO;
using System.Text;

namespace EbpfPS.Core
{
    /// <summary>Command lines as the kernel keeps them: argv strings one after another, each ending in NUL.</summary>
    internal static class CommandLine
    {
        /// <summary>argv joined by spaces ("kill -TERM 42"); a cut-off last argument is kept as it is.</summary>
        internal static string FromArgv(ReadOnlySpan<byte> argv)
        {
            while (argv.Length > 0 && argv[^1] == 0) argv = argv[..^1];
            if (argv.IsEmpty) return "";
            var text = Encoding.UTF8.GetString(argv);
            return text.Replace('\0', ' ');
        }

        /// <summary>/proc/PID/cmdline, or null when the process is gone or has none (kernel threads, zombies).</summary>
        internal static string? OfProcess(int pid)
        {
            try
            {
                var text = FromArgv(File.ReadAllBytes($"/proc/{pid}/cmdline"));
                return text.Length == 0 ? null : text;
            }
            catch (IOException) { return null; }
            catch (UnauthorizedAccessException) { return null; }
        }
    }
}
