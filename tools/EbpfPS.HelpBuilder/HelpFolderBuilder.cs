using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace EbpfPS.HelpBuilder
{
    /// <summary>
    /// Builds a culture folder of help: every cmdlet markdown into the MAML file its front matter names,
    /// every about_*.md into about_*.help.txt. Writes nothing unless all files are good.
    /// </summary>
    public static class HelpFolderBuilder
    {
        public static IReadOnlyList<HelpMarkdownException> Build(string markdownDir, string outputDir)
        {
            var errors = new List<HelpMarkdownException>();
            var commands = new List<CommandHelp>();
            var aboutTopics = new Dictionary<string, string>();

            foreach (string file in Directory.GetFiles(markdownDir, "*.md").OrderBy(f => f, StringComparer.Ordinal))
            {
                string path = Path.GetFullPath(file);
                string markdown = File.ReadAllText(path);
                try
                {
                    string name = Path.GetFileNameWithoutExtension(path);
                    if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
                    {
                        aboutTopics[name + ".help.txt"] = AboutTopicWriter.ToText(markdown, path);
                    }
                    else
                    {
                        commands.Add(CommandMarkdownParser.Parse(markdown, path));
                    }
                }
                catch (HelpMarkdownException error)
                {
                    errors.Add(error);
                }
            }

            if (errors.Count > 0)
            {
                return errors;
            }

            Directory.CreateDirectory(outputDir);
            foreach (IGrouping<string, CommandHelp> helpFile in commands.GroupBy(c => c.HelpFileName, StringComparer.OrdinalIgnoreCase))
            {
                var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
                using XmlWriter writer = XmlWriter.Create(Path.Combine(outputDir, helpFile.Key), settings);
                MamlWriter.ToMaml(helpFile).Save(writer);
            }

            foreach ((string fileName, string text) in aboutTopics)
            {
                File.WriteAllText(Path.Combine(outputDir, fileName), text, new UTF8Encoding(false));
            }

            return errors;
        }
    }
}
