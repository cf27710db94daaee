using System;
using System.IO;
using System.Management.Automation.Language;
using System.Runtime.InteropServices;
using System.Text;

namespace EbpfPS.Host
{
    /// <summary>ebpfps: pwsh's -Command, -File and prompt, for machines without pwsh.</summary>
    internal static class Program
    {
        private const int ExitOnSigint = 130;
        private const int ExitOnSigterm = 143;

        private static int Main(string[] args)
        {
            LaunchOptions options;
            try
            {
                options = LaunchOptions.Parse(args);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"ebpfps: {ex.Message}\n{LaunchOptions.Usage}");
                return 64;
            }
            if (options.ShowHelp)
            {
                Console.WriteLine(LaunchOptions.Usage);
                return 0;
            }

            string modulePath = Environment.GetEnvironmentVariable("EBPFPS_MODULE") is { Length: > 0 } fromEnv
                ? fromEnv
                : Path.Combine(AppContext.BaseDirectory, "..", "EbpfPS", "EbpfPS.psd1");
            if (!File.Exists(modulePath))
            {
                Console.Error.WriteLine($"ebpfps: the EbpfPS module is missing: {Path.GetFullPath(modulePath)}\n" +
                                        "Build it with 'dotnet build EbpfPS.sln', or point EBPFPS_MODULE at EbpfPS.psd1.");
                return 1;
            }

            var host = new ConsoleHost();
            using ScriptSession? session = ScriptSession.Open(host, modulePath);
            if (session is null) return 1;

            int? signalExitCode = null;
            void OnSignal(PosixSignalContext context, int exitCode)
            {
                context.Cancel = true; // the process ends by itself once the pipeline has detached from the kernel
                if (session.IsStopping) Environment.Exit(exitCode); // a second signal: the user does not want to wait
                bool stopping = session.TryStop();
                if (!stopping && (exitCode == ExitOnSigterm || !options.Interactive)) Environment.Exit(exitCode);
                if (exitCode == ExitOnSigterm || !options.Interactive) signalExitCode = exitCode;
                if (!stopping) Console.Out.Write(Environment.NewLine + Prompt);
            }
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, ExitOnSigint));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, ExitOnSigterm));

            if (options.Interactive) return RunPrompt(session, host, () => signalExitCode);

            RunOutcome outcome = session.Run(options.Script!);
            if (host.ShouldExit) return host.ExitCode;
            if (options.File is not null && session.LastExitCode != 0) return session.LastExitCode;
            return outcome switch
            {
                RunOutcome.Succeeded => 0,
                RunOutcome.Stopped => signalExitCode ?? ExitOnSigint,
                _ => 1,
            };
        }

        private const string Prompt = "PS EbpfPS> ";

        // Reads until a statement is complete (a '{' left open continues on the next line), runs it, repeats.
        private static int RunPrompt(ScriptSession session, ConsoleHost host, Func<int?> signalExitCode)
        {
            int lastExitCode = 0;
            var input = new StringBuilder();
            Console.Out.Write(Prompt);
            while (Console.In.ReadLine() is { } line)
            {
                input.AppendLine(line);
                Parser.ParseInput(input.ToString(), out _, out ParseError[] errors);
                if (Array.Exists(errors, e => e.IncompleteInput))
                {
                    Console.Out.Write(">> ");
                    continue;
                }
                RunOutcome outcome = session.Run(input.ToString());
                input.Clear();
                if (host.ShouldExit) return host.ExitCode;
                if (signalExitCode() is int code) return code;
                lastExitCode = outcome == RunOutcome.Succeeded ? 0 : 1;
                Console.Out.Write(Prompt);
            }
            Console.Out.WriteLine();
            return lastExitCode;
        }
    }
}
