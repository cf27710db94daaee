using System.IO;
using Xunit;

namespace EbpfPS.HelpBuilder.Tests
{
    public class AboutTopicWriterTests
    {
        [Fact]
        public void Writes_platyPS_about_text_with_upper_case_headings_indented_and_wrapped_at_80_columns()
        {
            string text = AboutTopicWriter.ToText(File.ReadAllText(TestFiles.Sample("about_Sample.md")), "about_Sample.md");

            Assert.Equal(
                """
                TOPIC
                    about_sample

                SHORT DESCRIPTION
                    Explains the sample.

                LONG DESCRIPTION
                    The sample module shows how a long paragraph is wrapped at eighty columns
                    and indented by four spaces, like platyPS does.

                    Get-Sample -Name a*

                Details
                    - a list item that is long enough to wrap onto a second line, which is then
                      indented under the text
                    - short item

                    FINE PRINT
                    Text with `code` and bold.

                SEE ALSO
                    Get-Sample

                """,
                text);
        }

        [Fact]
        public void Keeps_long_code_lines_whole()
        {
            string longLine = "Get-BpfSignalEvent -Duration 00:00:30 | Where-Object SignalName -eq SIGKILL | Export-Csv kills.csv";
            string markdown = $"# about_X\n\n# SHORT DESCRIPTION\nX.\n\n# LONG DESCRIPTION\n```\n{longLine}\n```\n";

            Assert.Contains("    " + longLine + "\n", AboutTopicWriter.ToText(markdown, "about_X.md"));
        }
    }
}
