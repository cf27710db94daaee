using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace EbpfPS.Tests.Support
{
    /// <summary>A test that reads this kernel's tracefs (format files, trace clock); it skips, saying so,
    /// where tracefs is not mounted or not readable (tracefs lets only root in by default).</summary>
    public sealed class TraceFsFactAttribute : FactAttribute
    {
        internal const string Path = "/sys/kernel/tracing";

        public TraceFsFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
            : base(sourceFilePath, sourceLineNumber)
        {
            try
            {
                if (!File.Exists(System.IO.Path.Combine(Path, "events", "sched", "sched_process_exec", "format")))
                    Skip = $"needs tracefs mounted at {Path}, readable (root)";
            }
            catch (System.UnauthorizedAccessException)
            {
                Skip = $"needs read access to tracefs at {Path} (root)";
            }
        }
    }
}
