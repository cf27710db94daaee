using System;
using System.IO;
using System.Linq;
using Xunit;

namespace EbpfPS.HelpBuilder.Tests
{
    public sealed class HelpFolderBuilderTests : IDisposable
    {
        private readonly string _root = Directory.CreateTempSubdirectory("helpbuilder-").FullName;

        private string Source => Path.Combine(_root, "en-US");

        private string Output => Path.Combine(_root, "out", "en-US");

        public HelpFolderBuilderTests()
        {
            Directory.CreateDirectory(Source);
            File.Copy(TestFiles.Sample("Get-Sample.md"), Path.Combine(Source, "Get-Sample.md"));
            File.Copy(TestFiles.Sample("about_Sample.md"), Path.Combine(Source, "about_Sample.md"));
        }

        public void Dispose() => Directory.Delete(_root, recursive: true);

        [Fact]
        public void Writes_the_MAML_file_named_in_front_matter_and_an_about_help_txt()
        {
            Assert.Empty(HelpFolderBuilder.Build(Source, Output));

            Assert.Equal(
                new[] { "Sample.dll-Help.xml", "about_Sample.help.txt" },
                Directory.GetFiles(Output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.StartsWith("TOPIC\n    about_sample\n", File.ReadAllText(Path.Combine(Output, "about_Sample.help.txt")));
        }

        [Fact]
        public void Bad_markdown_gives_an_MSBuild_error_with_file_and_line_and_writes_nothing()
        {
            string bad = Path.Combine(Source, "Get-Bad.md");
            File.WriteAllText(bad, "---\nexternal help file: Sample.dll-Help.xml\nschema: 2.0.0\n---\n\n# Get-Bad\n\n## SYNTAX\n");

            var error = Assert.Single(HelpFolderBuilder.Build(Source, Output));

            Assert.Equal($"{bad}(6): error EPSHELP: missing the '## SYNOPSIS' section.", error.ToMSBuildError());
            Assert.False(Directory.Exists(Output));
        }
    }
}
