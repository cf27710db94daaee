using System;
using System.IO;

namespace EbpfPS.HelpBuilder.Tests
{
    /// <summary>Where the recorded samples, the repository's help markdown and the built module are.</summary>
    internal static class TestFiles
    {
        public static string RepoRoot { get; } = FindRepoRoot();

        public static string HelpSourceDir => Path.Combine(RepoRoot, "en-US");

        public static string ModuleDir => Path.Combine(RepoRoot, "out", "EbpfPS");

        public static string Sample(string fileName) => Path.Combine(AppContext.BaseDirectory, "Samples", fileName);

        public static CommandHelp ParseSample(string fileName) =>
            CommandMarkdownParser.Parse(File.ReadAllText(Sample(fileName)), fileName);

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EbpfPS.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("EbpfPS.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
