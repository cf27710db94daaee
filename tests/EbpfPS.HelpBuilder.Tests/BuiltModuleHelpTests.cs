using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Xunit;

namespace EbpfPS.HelpBuilder.Tests
{
    /// <summary>
    /// Get-Help itself, in a hosted engine, reads the help the build left in out/EbpfPS/en-US
    /// (the same checks as tests/Pester/Help.Tests.ps1, runnable without pwsh).
    /// </summary>
    public class BuiltModuleHelpTests
    {
        private static Collection<PSObject> Run(string script)
        {
            using var powerShell = PowerShell.Create(InitialSessionState.CreateDefault2());
            powerShell.AddScript($"Import-Module '{Path.Combine(TestFiles.ModuleDir, "EbpfPS.psd1")}' -Force -ErrorAction Stop\n{script}");
            Collection<PSObject> output = powerShell.Invoke();
            Assert.Empty(powerShell.Streams.Error);
            return output;
        }

        [Fact]
        public void Get_Help_Full_shows_synopsis_parameter_descriptions_and_examples()
        {
            CommandHelp markdown = CommandMarkdownParser.Parse(
                File.ReadAllText(Path.Combine(TestFiles.HelpSourceDir, "Get-BpfSignalEvent.md")), "Get-BpfSignalEvent.md");

            dynamic help = Run("Get-Help Get-BpfSignalEvent -Full").Single();

            Assert.Equal(markdown.Synopsis.Single(), (string)help.Synopsis);
            foreach (ParameterHelp parameter in markdown.Parameters)
            {
                string description = Run($"(Get-Help Get-BpfSignalEvent -Parameter {parameter.Name}).description.Text -join ' '").Single().ToString();
                Assert.Equal(string.Join(" ", parameter.Description), description);
            }

            Assert.Equal(markdown.Examples.Count, Run("(Get-Help Get-BpfSignalEvent -Examples).examples.example.Count").Single().BaseObject);
        }

        [Fact]
        public void Get_Help_about_EbpfPS_returns_the_topic()
        {
            string topic = Run("Get-Help about_EbpfPS").Single().ToString();

            Assert.StartsWith("TOPIC\n    about_ebpfps", topic.ReplaceLineEndings("\n"));
            Assert.Contains("SHORT DESCRIPTION", topic);
            Assert.Contains("Get-BpfSignalEvent", topic);
        }
    }
}
