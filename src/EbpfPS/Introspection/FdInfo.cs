using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace EbpfPS.Introspection
{
    /// <summary>/proc/self/fdinfo/FD of a BPF object: the facts the info syscall does not give
    /// (memlock, whether a map is frozen).</summary>
    internal static class FdInfo
    {
        internal static Dictionary<string, string> Read(int fd)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                foreach (var line in File.ReadLines($"/proc/self/fdinfo/{fd}"))
                {
                    int colon = line.IndexOf(':');
                    if (colon > 0) fields[line[..colon]] = line[(colon + 1)..].Trim();
                }
            }
            catch (IOException) { }
            return fields;
        }

        internal static ulong Number(Dictionary<string, string> fields, string name) =>
            fields.TryGetValue(name, out var text) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }
}
