using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace EbpfPS.Introspection
{
    /// <summary>This network namespace's interfaces by index, from /sys/class/net.</summary>
    internal static class NetworkInterfaces
    {
        internal static Dictionary<int, string> ByIndex()
        {
            var names = new Dictionary<int, string>();
            foreach (var directory in Directory.EnumerateDirectories("/sys/class/net"))
            {
                try
                {
                    var text = File.ReadAllText(Path.Combine(directory, "ifindex")).Trim();
                    if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                        names[index] = Path.GetFileName(directory);
                }
                catch (IOException) { }
            }
            return names;
        }

        internal static string NameOf(uint index) =>
            ByIndex().TryGetValue((int)index, out var name) ? name : $"ifindex {index}";
    }
}
