using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Markdig.Syntax;

namespace EbpfPS.HelpBuilder
{
    /// <summary>
    /// Turns platyPS about-markdown ("# about_X", "## about_X", "# SHORT DESCRIPTION", ...) into the
    /// about_X.help.txt that Get-Help about_X prints: upper-case headings, text indented and wrapped.
    /// </summary>
    public static class AboutTopicWriter
    {
        private const string Indent = "    ";
        private const int Width = 80;
        private static readonly string[] RequiredHeadings = { "SHORT DESCRIPTION", "LONG DESCRIPTION" };

        public static string ToText(string markdown, string file)
        {
            List<Block> blocks = MarkdownText.Parse(markdown).ToList();
            if (blocks.FirstOrDefault() is not HeadingBlock { Level: 1 } title
                || !MarkdownText.HeadingText(title).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            {
                throw new HelpMarkdownException(file, blocks.Count > 0 ? MarkdownText.LineOf(blocks[0]) : 1,
                    "an about topic starts with its name as '# about_Name'.");
            }

            foreach (string required in RequiredHeadings)
            {
                if (!blocks.OfType<HeadingBlock>().Any(h => h.Level == 1 && MarkdownText.HeadingText(h).Equals(required, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new HelpMarkdownException(file, MarkdownText.LineOf(title), $"missing the '# {required}' section.");
                }
            }

            var text = new StringBuilder();
            for (int i = 0; i < blocks.Count; i++)
            {
                AppendBlock(text, blocks[i], i, file);
            }

            return text.ToString().TrimEnd() + "\n";
        }

        private static void AppendBlock(StringBuilder text, Block block, int index, string file)
        {
            switch (block)
            {
                // platyPS's layout: the title becomes TOPIC, the "## about_X" under it the indented name.
                case HeadingBlock when index == 0:
                    text.Append("TOPIC\n");
                    break;
                case HeadingBlock { Level: 2 } heading when index == 1:
                    text.Append(Indent).Append(MarkdownText.HeadingText(heading).ToLowerInvariant()).Append("\n\n");
                    break;
                case HeadingBlock { Level: 1 } heading:
                    text.Append(MarkdownText.HeadingText(heading).ToUpperInvariant()).Append('\n');
                    break;
                case HeadingBlock { Level: 2 } heading:
                    text.Append(MarkdownText.HeadingText(heading)).Append('\n');
                    break;
                case HeadingBlock heading:
                    text.Append(Indent).Append(MarkdownText.HeadingText(heading).ToUpperInvariant()).Append('\n');
                    break;
                case ParagraphBlock paragraph:
                    AppendWrapped(text, MarkdownText.InlineText(paragraph.Inline).Trim(), Indent, Indent);
                    text.Append('\n');
                    break;
                case ListBlock list:
                    foreach (ListItemBlock item in list.OfType<ListItemBlock>())
                    {
                        AppendWrapped(text, string.Join(" ", MarkdownText.Paragraphs(item)), Indent + "- ", Indent + "  ");
                    }

                    text.Append('\n');
                    break;
                case CodeBlock code:
                    foreach (string line in MarkdownText.CodeText(code).Split('\n'))
                    {
                        text.Append((Indent + line).TrimEnd()).Append('\n');
                    }

                    text.Append('\n');
                    break;
                case HtmlBlock:
                    break; // comments for editors, not for readers
                default:
                    throw new HelpMarkdownException(file, MarkdownText.LineOf(block),
                        $"about topics hold headings, paragraphs, lists and code blocks only, not a {block.GetType().Name}.");
            }
        }

        /// <summary>Greedy word wrap to 80 columns; hard line breaks in the markdown are kept.</summary>
        private static void AppendWrapped(StringBuilder text, string paragraph, string firstIndent, string restIndent)
        {
            string indent = firstIndent;
            foreach (string hardLine in paragraph.Split('\n'))
            {
                var line = new StringBuilder(indent);
                foreach (string word in hardLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (line.Length > indent.Length && line.Length + 1 + word.Length > Width)
                    {
                        text.Append(line).Append('\n');
                        indent = restIndent;
                        line = new StringBuilder(indent);
                    }

                    line.Append(line.Length > indent.Length ? " " : "").Append(word);
                }

                text.Append(line).Append('\n');
                indent = restIndent;
            }
        }
    }
}
