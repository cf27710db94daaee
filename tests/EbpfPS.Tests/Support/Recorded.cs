using System;
using System.IO;

namespace EbpfPS.Tests.Support
{
    /// <summary>Inputs recorded on a real kernel (Fixtures/recorded/), copied beside the test assembly.</summary>
    internal static class Recorded
    {
        internal static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "recorded", name);

        internal static string Text(string name) => File.ReadAllText(Path(name));

        internal static string[] Lines(string name) => File.ReadAllLines(Path(name));
    }
}
