using System;

namespace EbpfPS
{
    /// <summary>One execve(2) or execveat(2), successful or not.</summary>
    public sealed class BpfExecEvent : ITimestamped
    {
        public DateTime Timestamp { get; set; }
        public int ProcessId { get; set; }
        public int ParentProcessId { get; set; }
        /// <summary>The parent's command name at the time of the exec.</summary>
        public string ParentCommand { get; set; } = "";
        public int UserId { get; set; }
        /// <summary>The command name after the exec (the new program's), or the caller's when it failed.</summary>
        public string Command { get; set; } = "";
        /// <summary>The path the caller gave to execve.</summary>
        public string Filename { get; set; } = "";
        /// <summary>argv as a list ($e.Arguments[0]); as text the command line with arguments quoted where
        /// a shell needs it (the form Export-Csv writes).</summary>
        public BpfCommandLine Arguments { get; set; } = new(Array.Empty<string>());
        /// <summary>The arguments joined by spaces, as ps shows them.</summary>
        public string CommandLine { get; set; } = "";
        /// <summary>True when argv had more (or longer) arguments than the probe reads.</summary>
        public bool ArgumentsTruncated { get; set; }
        /// <summary>0, or -errno when the exec failed.</summary>
        public int ReturnValue { get; set; }
        public string ErrorName { get; set; } = "";
        public bool Succeeded => ReturnValue == 0;
        public TimeSpan Duration { get; set; }
        /// <summary>Duration in microseconds: the number a reader of ConvertTo-Json or Export-Csv output uses
        /// (JSON writes a TimeSpan as an object of 15 fields).</summary>
        public double DurationMicroseconds => Duration.TotalMicroseconds;
    }
}
