using System.Collections.Generic;
using Xunit;

namespace EbpfPS.HelpBuilder.Tests
{
    /// <summary>Markdown that must fail the build, and the file and line the error points at.</summary>
    public class BadMarkdownTests
    {
        // Line numbers below count in this text: the syntax line is 14, "### -Name" 22, its yaml keys 26 to 29.
        private const string Valid = """
            ---
            external help file: Sample.dll-Help.xml
            schema: 2.0.0
            ---

            # Get-Thing

            ## SYNOPSIS
            Gets a thing.

            ## SYNTAX

            ```
            Get-Thing [-Name <String>] [<CommonParameters>]
            ```

            ## DESCRIPTION
            Gets it.

            ## PARAMETERS

            ### -Name
            The name.

            ```yaml
            Type: String
            Parameter Sets: (All)
            Required: False
            Position: Named
            ```

            """;

        public static IEnumerable<object[]> Cases => new[]
        {
            new object[] { Valid.Replace("## SYNOPSIS\nGets a thing.\n\n", ""), 6, "missing the '## SYNOPSIS' section" },
            new object[] { Valid.Replace("Gets a thing.\n", ""), 8, "the '## SYNOPSIS' section is empty" },
            new object[] { Valid[..Valid.IndexOf("```yaml")], 22, "parameter -Name has no ```yaml block" },
            new object[] { Valid.Replace("Position: Named", "Positon: Named"), 29, "unknown key 'Positon'" },
            new object[] { Valid.Replace("Required: False", "Required: Maybe"), 28, "'Required' must be True or False" },
            new object[] { Valid.Replace("Position: Named", "Position: first"), 29, "'Position' must be Named or a number" },
            new object[] { Valid.Replace("Type: String\n", ""), 25, "has no 'Type'" },
            new object[] { Valid.Replace("The name.\n", ""), 22, "parameter -Name has no description" },
            new object[] { Valid.Replace("## DESCRIPTION", "## DESCRIPTON"), 17, "unknown section '## DESCRIPTON'" },
            new object[] { Valid.Replace("[-Name <String>]", "[-Name <String>] [-Force]"), 14, "names -Force, which has no '### -Force'" },
            new object[] { Valid.Replace("[-Name <String>] ", ""), 14, "-Name belongs to parameter set '__AllParameterSets' but is missing from its syntax line" },
            new object[] { Valid.Replace("Parameter Sets: (All)", "Parameter Sets: ByName"), 22, "names parameter set 'ByName', which has no '### ByName'" },
            new object[] { Valid.Replace("Get-Thing [-Name", "Get-Other [-Name"), 14, "must start with the command name 'Get-Thing'" },
            new object[] { Valid[Valid.IndexOf("\n# Get-Thing")..], 1, "missing the '---' front matter" },
            new object[] { Valid.Replace("schema: 2.0.0", "schema: 1.0.0"), 1, "'schema: 2.0.0'" },
            new object[] { Valid + "## EXAMPLES\n\n### Example 1: words only\nNo code here.\n", 33, "example 'Example 1: words only' has no ```powershell code block" },
        };

        [Fact]
        public void The_valid_text_parses()
        {
            Assert.Equal("Get-Thing", CommandMarkdownParser.Parse(Valid, "Bad.md").Name);
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Command_markdown_errors_name_file_and_line(string markdown, int line, string reason)
        {
            var error = Assert.Throws<HelpMarkdownException>(() => CommandMarkdownParser.Parse(markdown, "Bad.md"));

            Assert.Contains(reason, error.Reason);
            Assert.Equal(("Bad.md", line), (error.File, error.Line));
            Assert.StartsWith($"Bad.md({line}): ", error.Message);
        }

        [Theory]
        [InlineData("# Not an about topic\n", 1, "'# about_Name'")]
        [InlineData("# about_X\n\n# LONG DESCRIPTION\nText.\n", 1, "missing the '# SHORT DESCRIPTION' section")]
        [InlineData("# about_X\n\n# SHORT DESCRIPTION\nX.\n\n# LONG DESCRIPTION\n\n---\n", 8, "not a ThematicBreakBlock")]
        public void About_markdown_errors_name_file_and_line(string markdown, int line, string reason)
        {
            var error = Assert.Throws<HelpMarkdownException>(() => AboutTopicWriter.ToText(markdown, "about_X.md"));

            Assert.Contains(reason, error.Reason);
            Assert.Equal(("about_X.md", line), (error.File, error.Line));
        }
    }
}
