using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace EbpfPS.Host
{
    /// <summary>The pwsh-like command line: -Command, -File with its arguments, or nothing for the prompt.</summary>
    internal sealed partial class LaunchOptions
    {
        public string? Command { get; private set; }
        public string? File { get; private set; }
        public IReadOnlyList<string> FileArguments { get; private set; } = Array.Empty<string>();
        public bool ShowHelp { get; private set; }
        public bool Interactive => Command is null && File is null && !ShowHelp;

        /// <summary>The script to run: the -Command text, or a call of the -File script with its arguments.</summary>
        public string? Script => File is null ? Command : FileInvocation();

        public const string Usage =
            "Usage: ebpfps [-NoProfile] [-Command <script> | -File <path.ps1> [args...] | -Help]\n" +
            "  -Command, -c  run the script text (the remaining arguments are joined by spaces)\n" +
            "  -File, -f     run a script file; the arguments that follow are its parameters\n" +
            "  (none)        interactive prompt; 'exit' leaves\n" +
            "The EbpfPS module is imported first: $EBPFPS_MODULE, else ../EbpfPS/EbpfPS.psd1 beside EbpfPS.Host.dll.\n" +
            "Exit code: 0 on success, 1 on a terminating error or when $? is false at the end,\n" +
            "N for 'exit N', 130 after Ctrl-C, 143 after SIGTERM.";

        /// <exception cref="ArgumentException">The arguments do not make a command line.</exception>
        public static LaunchOptions Parse(IReadOnlyList<string> args)
        {
            var options = new LaunchOptions();
            for (int i = 0; i < args.Count; i++)
            {
                string arg = args[i];
                switch (arg.ToLowerInvariant())
                {
                    case "-noprofile" or "-nop" or "-noninteractive" or "-noni" or "-nologo":
                        break; // accepted for pwsh compatibility: there is no profile, logo or console prompt to skip
                    case "-help" or "-h" or "-?" or "--help":
                        options.ShowHelp = true;
                        return options;
                    case "-command" or "-c":
                        if (i + 1 >= args.Count) throw new ArgumentException($"{arg} needs a script.");
                        options.Command = string.Join(' ', Slice(args, i + 1));
                        return options;
                    case "-file" or "-f":
                        if (i + 1 >= args.Count) throw new ArgumentException($"{arg} needs a path.");
                        options.SetFile(args, i + 1);
                        return options;
                    default:
                        if (arg.StartsWith('-')) throw new ArgumentException($"Unknown option '{arg}'.");
                        options.SetFile(args, i); // like pwsh: a bare first argument is the script file
                        return options;
                }
            }
            return options;
        }

        private void SetFile(IReadOnlyList<string> args, int index)
        {
            File = args[index];
            FileArguments = Slice(args, index + 1);
        }

        // Arguments like -Name or -Name: stay parameter names, as pwsh -File binds them; the rest are literal strings.
        private string FileInvocation()
        {
            var script = new StringBuilder("& ").Append(Quote(Path.GetFullPath(File!)));
            foreach (string arg in FileArguments)
                script.Append(' ').Append(ParameterName().IsMatch(arg) ? arg : Quote(arg));
            return script.ToString();
        }

        private static string Quote(string text) => "'" + text.Replace("'", "''") + "'";

        [GeneratedRegex(@"^-[A-Za-z_][\w-]*:?$")]
        private static partial Regex ParameterName();

        private static string[] Slice(IReadOnlyList<string> args, int start)
        {
            var rest = new string[args.Count - start];
            for (int i = 0; i < rest.Length; i++) rest[i] = args[start + i];
            return rest;
        }
    }
}
