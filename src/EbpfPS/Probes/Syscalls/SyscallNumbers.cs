using System;
using System.Collections.Generic;
using System.IO;

namespace EbpfPS.Probes.Syscalls
{
    /// <summary>x86-64's syscall numbers (an ABI that never changes), read from the build machine's
    /// &lt;asm/unistd.h&gt; and embedded by the build, looked up by the names tracefs gives syscalls.</summary>
    internal static class SyscallNumbers
    {
        // Syscalls whose SYSCALL_DEFINE name (tracefs's) is not their __NR_ name.
        private static readonly Dictionary<string, string> NrNames = new(StringComparer.Ordinal)
        {
            ["newstat"] = "stat", ["newlstat"] = "lstat", ["newfstat"] = "fstat", ["newuname"] = "uname",
            ["sendfile64"] = "sendfile", ["umount"] = "umount2",
        };

        private static readonly Lazy<Dictionary<string, int>> Table = new(Read);

        /// <summary>The number of the syscall tracefs calls <paramref name="name"/>, or null when the table has none.</summary>
        internal static int? Of(string name) =>
            Table.Value.TryGetValue(NrNames.GetValueOrDefault(name, name), out int number) ? number : null;

        /// <summary>Parses the "#define __NR_getppid 110" lines of the embedded header.</summary>
        internal static Dictionary<string, int> Parse(TextReader header)
        {
            var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
            for (string? line; (line = header.ReadLine()) is not null;)
            {
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words is ["#define", var macro, var value] && macro.StartsWith("__NR_", StringComparison.Ordinal) && int.TryParse(value, out int number))
                    numbers[macro["__NR_".Length..]] = number;
            }
            return numbers;
        }

        private static Dictionary<string, int> Read()
        {
            using var stream = typeof(SyscallNumbers).Assembly.GetManifestResourceStream("EbpfPS.SyscallNumbers.h")
                ?? throw new FileNotFoundException("The embedded syscall numbers are missing: the build did not find <asm/unistd.h>.");
            return Parse(new StreamReader(stream));
        }
    }
}
