using System;
using System.Collections.Generic;
using System.Linq;

namespace EbpfPS
{
    /// <summary>An argv: a list of strings ($e.Arguments[0], -contains), which as text (Export-Csv,
    /// $e.Arguments.ToString()) is the command line a shell would run, each argument with spaces or quotes
    /// single-quoted: /bin/echo alpha 'beta gamma'.</summary>
    public sealed class BpfCommandLine : BpfList<string>
    {

        public BpfCommandLine(IList<string> arguments) : base(arguments) { }

        public override string ToString() => string.Join(' ', this.Select(Quote));

        private static string Quote(string argument) =>
            argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '\\' or '$' or '`')
                ? argument
                : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
