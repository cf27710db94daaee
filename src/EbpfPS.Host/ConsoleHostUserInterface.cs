using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace EbpfPS.Host
{
    /// <summary>
    /// Output to stdout; errors, warnings, verbose and debug lines to stderr, so that
    /// `ebpfps -c '... | ConvertTo-Csv' > file` keeps only data in the file. Colours only on a terminal:
    /// GetOutputString drops the formatter's ANSI sequences (table headers) where $PSStyle says so.
    /// </summary>
    internal sealed class ConsoleHostUserInterface : PSHostUserInterface
    {
        private readonly ConsoleHostRawUserInterface _rawUI = new();

        public override PSHostRawUserInterface RawUI => _rawUI;
        public override bool SupportsVirtualTerminal => !Console.IsOutputRedirected;

        public override void Write(string value) => Console.Out.Write(GetOutputString(value, SupportsVirtualTerminal));
        public override void WriteLine(string value) => Write(value + Environment.NewLine);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
            WriteColored(Console.Out, Console.IsOutputRedirected || foregroundColor == _rawUI.ForegroundColor, foregroundColor,
                GetOutputString(value, SupportsVirtualTerminal));

        public override void WriteLine(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
            Write(foregroundColor, backgroundColor, value + Environment.NewLine);

        public override void WriteErrorLine(string value) => WriteToStderr(ConsoleColor.Red, value);
        public override void WriteWarningLine(string message) => WriteToStderr(ConsoleColor.Yellow, "WARNING: " + message);
        public override void WriteVerboseLine(string message) => WriteToStderr(ConsoleColor.Yellow, "VERBOSE: " + message);
        public override void WriteDebugLine(string message) => WriteToStderr(ConsoleColor.Yellow, "DEBUG: " + message);

        // Progress bars need a terminal that can redraw; a line per update would bury the output.
        public override void WriteProgress(long sourceId, ProgressRecord record) { }

        public override string ReadLine() => Console.In.ReadLine() ?? string.Empty;

        public override SecureString ReadLineAsSecureString()
        {
            var secure = new SecureString();
            foreach (char c in ReadLine()) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            WritePromptHeader(caption, message);
            var answers = new Dictionary<string, PSObject>();
            foreach (FieldDescription field in descriptions)
            {
                Write(field.Name + ": ");
                answers[field.Name] = PSObject.AsPSObject(ReadLine());
            }
            return answers;
        }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            WritePromptHeader(caption, message);
            string[] hotkeys = choices.Select(HotkeyOf).ToArray();
            string menu = string.Join("  ", choices.Select((c, i) => $"[{hotkeys[i]}] {c.Label.Replace("&", "")}"));
            while (true)
            {
                Write(defaultChoice >= 0 ? $"{menu} (default is \"{hotkeys[defaultChoice]}\"): " : $"{menu}: ");
                string? answer = Console.In.ReadLine()?.Trim();
                if (answer is null || (answer.Length == 0 && defaultChoice >= 0)) return defaultChoice;
                int chosen = Array.FindIndex(hotkeys, h => h.Equals(answer, StringComparison.OrdinalIgnoreCase));
                if (chosen >= 0) return chosen;
            }
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("ebpfps cannot prompt for credentials; pass a PSCredential instead.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            PromptForCredential(caption, message, userName, targetName);

        private void WritePromptHeader(string caption, string message)
        {
            if (!string.IsNullOrEmpty(caption)) WriteLine(caption);
            if (!string.IsNullOrEmpty(message)) WriteLine(message);
        }

        // "&Yes" has the hotkey Y; a label without '&' is chosen by its first letter.
        private static string HotkeyOf(ChoiceDescription choice)
        {
            string label = choice.Label;
            int amp = label.IndexOf('&');
            return amp >= 0 && amp + 1 < label.Length ? label[amp + 1].ToString().ToUpperInvariant() : label[..1].ToUpperInvariant();
        }

        private static void WriteToStderr(ConsoleColor color, string line) =>
            WriteColored(Console.Error, Console.IsErrorRedirected, color, GetOutputString(line, !Console.IsErrorRedirected) + Environment.NewLine);

        private static void WriteColored(TextWriter writer, bool plain, ConsoleColor color, string text)
        {
            if (plain)
            {
                writer.Write(text);
                return;
            }
            lock (writer)
            {
                ConsoleColor previous = Console.ForegroundColor;
                Console.ForegroundColor = color;
                writer.Write(text);
                Console.ForegroundColor = previous;
            }
        }
    }
}
