using System;
using System.Collections.Generic;
using System.Linq;
using Markdig.Syntax;

namespace EbpfPS.HelpBuilder
{
    /// <summary>
    /// Reads the ```yaml block under a "### -Name" heading. It is flat "Key: value" text, so it is read
    /// line by line: that gives exact line numbers and rejects keys platyPS would not know.
    /// </summary>
    internal static class ParameterYaml
    {
        private static readonly string[] KnownKeys =
        {
            "Type", "Parameter Sets", "Aliases", "Accepted values", "Applicable", "Required", "Position",
            "Default value", "Accept pipeline input", "Accept wildcard characters",
        };

        public static ParameterUsage Read(FencedCodeBlock block, string file)
        {
            var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
            int firstContentLine = MarkdownText.LineOf(block) + 1;
            string[] lines = MarkdownText.CodeText(block).Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                int lineNumber = firstContentLine + i;
                string line = lines[i].Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                int colon = line.IndexOf(':');
                if (colon <= 0)
                {
                    throw new HelpMarkdownException(file, lineNumber, $"expected 'Key: value' in the parameter's yaml block, found '{line}'.");
                }

                string key = line[..colon].Trim();
                if (!KnownKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    throw new HelpMarkdownException(file, lineNumber,
                        $"unknown key '{key}' in the parameter's yaml block; known keys: {string.Join(", ", KnownKeys)}.");
                }

                values[key] = (line[(colon + 1)..].Trim(), lineNumber);
            }

            string Get(string key, string fallback) =>
                values.TryGetValue(key, out var entry) && entry.Value.Length > 0 ? entry.Value : fallback;

            bool GetBool(string key)
            {
                if (!values.TryGetValue(key, out var entry) || entry.Value.Length == 0)
                {
                    return false;
                }

                return bool.TryParse(entry.Value, out bool result)
                    ? result
                    : throw new HelpMarkdownException(file, entry.Line, $"'{key}' must be True or False, found '{entry.Value}'.");
            }

            if (Get("Type", "").Length == 0)
            {
                throw new HelpMarkdownException(file, MarkdownText.LineOf(block), "the parameter's yaml block has no 'Type'.");
            }

            string position = Get("Position", "Named");
            if (!position.Equals("Named", StringComparison.OrdinalIgnoreCase) && !uint.TryParse(position, out _))
            {
                throw new HelpMarkdownException(file, values["Position"].Line, $"'Position' must be Named or a number, found '{position}'.");
            }

            return new ParameterUsage(
                Type: Get("Type", ""),
                ParameterSets: List(Get("Parameter Sets", ParameterUsage.AllSetsMoniker)),
                Aliases: List(Get("Aliases", "")),
                AcceptedValues: List(Get("Accepted values", "")),
                Required: GetBool("Required"),
                Position: position,
                DefaultValue: Get("Default value", "None"),
                PipelineInput: Get("Accept pipeline input", "False"),
                Globbing: GetBool("Accept wildcard characters"));
        }

        private static List<string> List(string commaSeparated) =>
            commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }
}
