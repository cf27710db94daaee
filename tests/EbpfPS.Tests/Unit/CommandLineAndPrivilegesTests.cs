using System.IO;
using System.Text;
using EbpfPS.Core;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    public class CommandLineTests
    {
        [Theory]
        [InlineData("kill\0-TERM\0042\0", "kill -TERM 042")]
        [InlineData("sleep\0", "sleep")]
        [InlineData("cut-off\0argu", "cut-off argu")]
        [InlineData("", "")]
        public void Argv_is_joined_by_spaces(string argv, string expected) =>
            Assert.Equal(expected, CommandLine.FromArgv(Encoding.UTF8.GetBytes(argv)));

        [Fact]
        public void A_running_process_has_its_command_line_and_a_missing_one_none()
        {
            // The executable: dotnet under dotnet test, the test assembly's own host when it runs by itself.
            string executable = System.IO.Path.GetFileName(System.Environment.ProcessPath!);
            Assert.Contains(executable, CommandLine.OfProcess(System.Environment.ProcessId) ?? "", System.StringComparison.Ordinal);
            Assert.Null(CommandLine.OfProcess(int.MaxValue));
        }
    }

    public class PrivilegesTests
    {
        [Theory]
        [InlineData("status-root", true)]      // CapEff 000001ffffffffff
        [InlineData("status-bpf-perfmon", true)] // CAP_BPF + CAP_PERFMON only
        [InlineData("status-bpf-only", false)]   // CAP_BPF without CAP_PERFMON
        [InlineData("status-nobody", false)]     // no capabilities
        public void Tracing_needs_sys_admin_or_bpf_with_perfmon(string file, bool expected)
        {
            var path = Path.Combine(System.AppContext.BaseDirectory, "Fixtures", "recorded", file);
            Assert.Equal(expected, Privileges.CanTrace(Privileges.EffectiveCapabilities(path)));
        }
    }
}
