using System.Collections.Generic;
using System.Linq;
using System.Text;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace EbpfPS.HelpBuilder
{
    /// <summary>
    /// Markdig access shared by the command and about parsers: parsing, 1-based line numbers,
    /// sections under headings, and blocks turned into the plain text that help shows.
    /// </summary>
    internal static class MarkdownText
    {
        private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

        public static MarkdownDocument Parse(string markdown) => Markdown.Parse(markdown, Pipeline);

        public static int LineOf(Block block) => block.Line + 1;

        public static string HeadingText(HeadingBlock heading) => InlineText(heading.Inline).Trim();

        /// <summary>Splits blocks at headings of one level; what precedes the first such heading is dropped.</summary>
        public static List<Section> SplitAt(IEnumerable<Block> blocks, int level)
        {
            var sections = new List<Section>();
            foreach (Block block in blocks)
            {
                if (block is HeadingBlock heading && heading.Level == level)
                {
                    sections.Add(new Section(heading, HeadingText(heading), new List<Block>()));
                }
                else if (sections.Count > 0)
                {
                    sections[^1].Body.Add(block);
                }
            }

            return sections;
        }

        /// <summary>One help paragraph per markdown paragraph, list item or code block.</summary>
        public static List<string> Paragraphs(IEnumerable<Block> blocks)
        {
            var paragraphs = new List<string>();
            foreach (Block block in blocks)
            {
                switch (block)
                {
                    case ParagraphBlock paragraph:
                        paragraphs.Add(InlineText(paragraph.Inline).Trim());
                        break;
                    case ListBlock list:
                        foreach (ListItemBlock item in list.OfType<ListItemBlock>())
                        {
                            paragraphs.Add("- " + string.Join(" ", Paragraphs(item)));
                        }

                        break;
                    case CodeBlock code:
                        paragraphs.Add(CodeText(code));
                        break;
                    case QuoteBlock quote:
                        paragraphs.AddRange(Paragraphs(quote));
                        break;
                }
            }

            return paragraphs.Where(p => p.Length > 0).ToList();
        }

        public static string CodeText(LeafBlock block) =>
            string.Join("\n", block.Lines.Lines.Take(block.Lines.Count).Select(line => line.ToString())).TrimEnd();

        /// <summary>
        /// Inline markdown as plain text, the way platyPS writes it to MAML: emphasis marks dropped,
        /// `code` kept with its backticks (readers know them from docs), links as "text (uri)".
        /// </summary>
        public static string InlineText(ContainerInline? container)
        {
            var text = new StringBuilder();
            AppendInlines(container, text);
            return text.ToString();
        }

        private static void AppendInlines(ContainerInline? container, StringBuilder text)
        {
            if (container is null)
            {
                return;
            }

            foreach (Inline inline in container)
            {
                switch (inline)
                {
                    case LiteralInline literal:
                        text.Append(literal.Content.ToString());
                        break;
                    case CodeInline code:
                        text.Append('`').Append(code.Content).Append('`');
                        break;
                    case LineBreakInline lineBreak:
                        text.Append(lineBreak.IsHard ? "\n" : " ");
                        break;
                    case LinkInline { IsImage: false } link:
                        AppendLink(link, text);
                        break;
                    case AutolinkInline autolink:
                        text.Append(autolink.Url);
                        break;
                    case HtmlEntityInline entity:
                        text.Append(entity.Transcoded.ToString());
                        break;
                    case HtmlInline html:
                        text.Append(html.Tag);
                        break;
                    case ContainerInline nested:
                        AppendInlines(nested, text);
                        break;
                }
            }
        }

        private static void AppendLink(LinkInline link, StringBuilder text)
        {
            int start = text.Length;
            AppendInlines(link, text);
            string label = text.ToString(start, text.Length - start);
            if (!string.IsNullOrEmpty(link.Url) && link.Url != label)
            {
                text.Append(label.Length > 0 ? $" ({link.Url})" : link.Url);
            }
        }

        /// <summary>"key: value" lines of the front matter, keys as written.</summary>
        public static Dictionary<string, string> FrontMatter(YamlFrontMatterBlock block)
        {
            var values = new Dictionary<string, string>(System.StringComparer.OrdinalIgnoreCase);
            foreach (string line in CodeText(block).Split('\n'))
            {
                int colon = line.IndexOf(':');
                if (colon > 0)
                {
                    values[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }

            return values;
        }
    }

    /// <summary>A heading and the blocks under it, up to the next heading of the same level.</summary>
    internal sealed record Section(HeadingBlock Heading, string Title, List<Block> Body);
}
