using System;

namespace EbpfPS.HelpBuilder
{
    /// <summary>Markdown that cannot become help; says where, so the build error points at the line to fix.</summary>
    public sealed class HelpMarkdownException : Exception
    {
        public HelpMarkdownException(string file, int line, string reason)
            : base($"{file}({line}): {reason}")
        {
            File = file;
            Line = line;
            Reason = reason;
        }

        public string File { get; }

        public int Line { get; }

        public string Reason { get; }

        /// <summary>MSBuild's canonical error format, so Exec fails the build and IDEs jump to the line.</summary>
        public string ToMSBuildError() => $"{File}({Line}): error EPSHELP: {Reason}";
    }
}
