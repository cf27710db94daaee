using System.Diagnostics;
using EbpfPS.Probes.Signals;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    public class SignalNamesTests
    {
        [Fact]
        public void Names_match_what_bash_kill_lists_for_every_signal()
        {
            for (int signal = 1; signal <= SignalNames.Max; signal++)
            {
                if (signal is 32 or 33) continue; // glibc's own: bash has no name for them
                Assert.Equal("SIG" + BashSignalName(signal), SignalNames.Name(signal));
            }
        }

        [Theory]
        [InlineData("SIGKILL", 9)]
        [InlineData("KILL", 9)]
        [InlineData("kill", 9)]
        [InlineData("9", 9)]
        [InlineData(" SIGterm ", 15)]
        [InlineData("SIGCLD", 17)]
        [InlineData("RTMIN", 34)]
        [InlineData("SIGRTMIN+3", 37)]
        [InlineData("RTMAX-1", 63)]
        [InlineData("64", 64)]
        public void Parse_accepts_names_short_names_and_numbers(string text, int expected)
        {
            Assert.True(SignalNames.TryParse(text, out int signal));
            Assert.Equal(expected, signal);
        }

        [Theory]
        [InlineData("SIGFOO")]
        [InlineData("0")]
        [InlineData("65")]
        [InlineData("-9")]
        [InlineData("RTMIN+31")]
        [InlineData("SIGKILL+1")]
        [InlineData("")]
        public void Parse_rejects_what_is_no_signal(string text) => Assert.False(SignalNames.TryParse(text, out _));

        [Fact]
        public void Codes_and_results_have_the_kernel_names()
        {
            Assert.Equal("SI_USER", SignalNames.CodeName(15, 0));
            Assert.Equal("SI_QUEUE", SignalNames.CodeName(36, -1));
            Assert.Equal("SI_TKILL", SignalNames.CodeName(10, -6));
            Assert.Equal("CLD_KILLED", SignalNames.CodeName(17, 2));
            Assert.Equal("SEGV_MAPERR", SignalNames.CodeName(11, 1));
            Assert.Equal("3", SignalNames.CodeName(10, 3));
            Assert.Equal("Delivered", SignalNames.ResultName(0));
            Assert.Equal("AlreadyPending", SignalNames.ResultName(2));
            Assert.True(SignalNames.IsQueued(4));
            Assert.False(SignalNames.IsQueued(1));
        }

        private static string BashSignalName(int signal)
        {
            var start = new ProcessStartInfo("bash", $"-c \"kill -l {signal}\"") { RedirectStandardOutput = true };
            using var process = Process.Start(start)!;
            string name = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return name;
        }
    }
}
