using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace EbpfPS.HelpBuilder
{
    /// <summary>
    /// Reads one cmdlet's platyPS markdown (schema 2.0.0) into a <see cref="CommandHelp"/>, and refuses,
    /// with file and line, what New-ExternalHelp would refuse or what would leave Get-Help wrong.
    /// </summary>
    public static class CommandMarkdownParser
    {
        private static readonly string[] KnownSections =
        {
            "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS",
        };

        private static readonly string[] RequiredSections = { "SYNOPSIS", "SYNTAX", "DESCRIPTION" };

        // A parameter in a syntax line: "-Name" after a space or "[", so the command's own dash is skipped.
        private static readonly Regex SyntaxParameter = new(@"(?<=[\s\[])-(?<name>[A-Za-z_]\w*)");

        public static CommandHelp Parse(string markdown, string file)
        {
            List<Block> blocks = MarkdownText.Parse(markdown).ToList();
            Dictionary<string, string> frontMatter = ReadFrontMatter(blocks, file);

            if (blocks.Skip(1).FirstOrDefault() is not HeadingBlock { Level: 1 } title)
            {
                throw new HelpMarkdownException(file, blocks.Count > 1 ? MarkdownText.LineOf(blocks[1]) : 1,
                    "expected the command name as '# Verb-Noun' right after the front matter.");
            }

            string name = MarkdownText.HeadingText(title);
            Dictionary<string, Section> sections = ReadSections(blocks, file, title);

            List<Section> syntaxSets = SyntaxSets(sections["SYNTAX"]);
            List<Block> Body(string section) => sections.TryGetValue(section, out Section? found) ? found.Body : new List<Block>();

            List<ParameterHelp> parameters = ReadParameters(Body("PARAMETERS"), syntaxSets, file);
            List<SyntaxItem> syntax = ReadSyntax(syntaxSets, name, parameters, file);

            return new CommandHelp(
                Name: name,
                HelpFileName: frontMatter["external help file"],
                Synopsis: RequireText(sections["SYNOPSIS"], file),
                Description: RequireText(sections["DESCRIPTION"], file),
                Syntax: syntax,
                Parameters: parameters,
                Inputs: ReadTypes(Body("INPUTS")),
                Outputs: ReadTypes(Body("OUTPUTS")),
                Notes: MarkdownText.Paragraphs(Body("NOTES")),
                Examples: ReadExamples(Body("EXAMPLES"), file),
                RelatedLinks: ReadLinks(Body("RELATED LINKS"), frontMatter));
        }

        private static Dictionary<string, string> ReadFrontMatter(List<Block> blocks, string file)
        {
            if (blocks.FirstOrDefault() is not YamlFrontMatterBlock block)
            {
                throw new HelpMarkdownException(file, 1, "missing the '---' front matter with 'external help file:' and 'schema: 2.0.0'.");
            }

            Dictionary<string, string> values = MarkdownText.FrontMatter(block);
            if (values.GetValueOrDefault("schema") != "2.0.0")
            {
                throw new HelpMarkdownException(file, MarkdownText.LineOf(block), "the front matter must say 'schema: 2.0.0' (platyPS's command schema).");
            }

            if (string.IsNullOrEmpty(values.GetValueOrDefault("external help file")))
            {
                throw new HelpMarkdownException(file, MarkdownText.LineOf(block),
                    "the front matter has no 'external help file:' (the MAML file to write, e.g. EbpfPS.dll-Help.xml).");
            }

            return values;
        }

        private static Dictionary<string, Section> ReadSections(List<Block> blocks, string file, HeadingBlock title)
        {
            var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
            foreach (Section section in MarkdownText.SplitAt(blocks, 2))
            {
                string key = section.Title.ToUpperInvariant();
                if (!KnownSections.Contains(key))
                {
                    throw new HelpMarkdownException(file, MarkdownText.LineOf(section.Heading),
                        $"unknown section '## {section.Title}'; platyPS knows: {string.Join(", ", KnownSections)}.");
                }

                if (!sections.TryAdd(key, section))
                {
                    throw new HelpMarkdownException(file, MarkdownText.LineOf(section.Heading), $"section '## {section.Title}' appears twice.");
                }
            }

            foreach (string required in RequiredSections.Where(r => !sections.ContainsKey(r)))
            {
                throw new HelpMarkdownException(file, MarkdownText.LineOf(title), $"missing the '## {required}' section.");
            }

            return sections;
        }

        private static List<string> RequireText(Section section, string file)
        {
            List<string> paragraphs = MarkdownText.Paragraphs(section.Body);
            return paragraphs.Count > 0
                ? paragraphs
                : throw new HelpMarkdownException(file, MarkdownText.LineOf(section.Heading), $"the '## {section.Title}' section is empty.");
        }

        // One section per parameter set, titled with the set's name; platyPS omits the
        // "### SetName" heading when the cmdlet has a single parameter set.
        private static List<Section> SyntaxSets(Section syntax)
        {
            List<Section> sets = MarkdownText.SplitAt(syntax.Body, 3)
                .Select(set => set with { Title = set.Title.Replace("(Default)", "", StringComparison.OrdinalIgnoreCase).Trim() })
                .ToList();
            return sets.Count > 0 ? sets : new List<Section> { syntax with { Title = CommandHelp.AllParameterSets } };
        }

        private static List<SyntaxItem> ReadSyntax(List<Section> sets, string commandName, List<ParameterHelp> parameters, string file)
        {
            var items = new List<SyntaxItem>();
            foreach (Section set in sets)
            {
                FencedCodeBlock code = set.Body.OfType<FencedCodeBlock>().FirstOrDefault()
                    ?? throw new HelpMarkdownException(file, MarkdownText.LineOf(set.Heading), $"the syntax of '{set.Title}' has no ``` code block.");
                int line = MarkdownText.LineOf(code) + 1;
                string syntaxLine = string.Join(" ", MarkdownText.CodeText(code).Split('\n', StringSplitOptions.TrimEntries));
                if (!syntaxLine.StartsWith(commandName + " ", StringComparison.OrdinalIgnoreCase) && syntaxLine != commandName)
                {
                    throw new HelpMarkdownException(file, line, $"the syntax line must start with the command name '{commandName}'.");
                }

                List<string> names = SyntaxParameter.Matches(syntaxLine).Select(m => m.Groups["name"].Value).ToList();
                CheckSyntaxMatchesParameters(set.Title, names, parameters, file, line);
                items.Add(new SyntaxItem(set.Title, names));
            }

            return items;
        }

        // The syntax line and the PARAMETERS section are written separately; make them agree.
        private static void CheckSyntaxMatchesParameters(string setName, List<string> names, List<ParameterHelp> parameters, string file, int line)
        {
            foreach (string name in names.Where(n => !parameters.Any(p => p.Name.Equals(n, StringComparison.OrdinalIgnoreCase))))
            {
                throw new HelpMarkdownException(file, line, $"the syntax line names -{name}, which has no '### -{name}' under '## PARAMETERS'.");
            }

            foreach (ParameterHelp parameter in parameters.Where(p => p.Usages.Any(u => u.AppliesTo(setName))))
            {
                if (!names.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
                {
                    throw new HelpMarkdownException(file, line, $"-{parameter.Name} belongs to parameter set '{setName}' but is missing from its syntax line.");
                }
            }
        }

        private static List<ParameterHelp> ReadParameters(List<Block> body, List<Section> syntaxSets, string file)
        {
            var parameters = new List<ParameterHelp>();
            foreach (Section entry in MarkdownText.SplitAt(body, 3))
            {
                if (entry.Title is "CommonParameters" or "WorkflowParameters")
                {
                    continue;
                }

                int line = MarkdownText.LineOf(entry.Heading);
                if (!entry.Title.StartsWith('-'))
                {
                    throw new HelpMarkdownException(file, line, $"expected a parameter heading '### -Name', found '### {entry.Title}'.");
                }

                string name = entry.Title[1..];
                List<ParameterUsage> usages = entry.Body.OfType<FencedCodeBlock>()
                    .Where(code => code.Info == "yaml")
                    .Select(code => ParameterYaml.Read(code, file))
                    .ToList();
                if (usages.Count == 0)
                {
                    throw new HelpMarkdownException(file, line, $"parameter -{name} has no ```yaml block (Type, Parameter Sets, Aliases, Required, Position, ...).");
                }

                foreach (string set in usages.SelectMany(u => u.ParameterSets))
                {
                    if (set != ParameterUsage.AllSetsMoniker && !syntaxSets.Any(s => s.Title.Equals(set, StringComparison.OrdinalIgnoreCase)))
                    {
                        throw new HelpMarkdownException(file, line, $"-{name} names parameter set '{set}', which has no '### {set}' under '## SYNTAX'.");
                    }
                }

                List<string> description = MarkdownText.Paragraphs(entry.Body.Where(b => b is not FencedCodeBlock { Info: "yaml" }));
                if (description.Count == 0)
                {
                    throw new HelpMarkdownException(file, line, $"parameter -{name} has no description.");
                }

                parameters.Add(new ParameterHelp(name, description, usages));
            }

            return parameters;
        }

        private static List<ExampleHelp> ReadExamples(List<Block> body, string file)
        {
            var examples = new List<ExampleHelp>();
            foreach (Section entry in MarkdownText.SplitAt(body, 3))
            {
                // Several code blocks (a command, then its output) form one piece of example code.
                List<string> code = entry.Body.OfType<CodeBlock>().Select(MarkdownText.CodeText).ToList();
                if (code.Count == 0)
                {
                    throw new HelpMarkdownException(file, MarkdownText.LineOf(entry.Heading), $"example '{entry.Title}' has no ```powershell code block.");
                }

                examples.Add(new ExampleHelp(entry.Title, string.Join("\n\n", code), MarkdownText.Paragraphs(entry.Body.Where(b => b is not CodeBlock))));
            }

            return examples;
        }

        private static List<TypeHelp> ReadTypes(List<Block> body) =>
            MarkdownText.SplitAt(body, 3)
                .Select(entry => new TypeHelp(entry.Title, MarkdownText.Paragraphs(entry.Body)))
                .ToList();

        private static List<RelatedLink> ReadLinks(List<Block> body, Dictionary<string, string> frontMatter)
        {
            var links = new List<RelatedLink>();

            // platyPS turns 'online version' into the link Get-Help -Online opens.
            string online = frontMatter.GetValueOrDefault("online version", "");
            if (online.Length > 0)
            {
                links.Add(new RelatedLink("Online Version:", online));
            }

            foreach (ParagraphBlock paragraph in body.OfType<ParagraphBlock>())
            {
                List<LinkInline> inlineLinks = paragraph.Inline?.Descendants<LinkInline>().ToList() ?? new List<LinkInline>();
                if (inlineLinks.Count == 0)
                {
                    links.Add(new RelatedLink(MarkdownText.InlineText(paragraph.Inline).Trim(), ""));
                }

                links.AddRange(inlineLinks.Select(link => new RelatedLink(MarkdownText.InlineText(link).Trim(), link.Url ?? "")));
            }

            return links;
        }
    }
}
