using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace EbpfPS.Introspection.Features
{
    /// <summary>The kernel's build options (/proc/config.gz or /boot/config-RELEASE), used only to name the
    /// option behind a feature that a probe found missing; never to decide whether a feature is there.</summary>
    internal sealed class KernelConfig
    {
        private readonly Dictionary<string, string>? _options;

        private KernelConfig(Dictionary<string, string>? options) => _options = options;

        internal static KernelConfig Read()
        {
            foreach (var path in new[] { "/proc/config.gz", $"/boot/config-{Release()}" })
            {
                try
                {
                    if (!File.Exists(path)) continue;
                    using Stream file = File.OpenRead(path);
                    using var text = new StreamReader(path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file);
                    return Parse(text.ReadToEnd());
                }
                catch (IOException) { }
                catch (InvalidDataException) { }
            }
            return new KernelConfig(null);
        }

        internal static KernelConfig Parse(string text)
        {
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in text.Split('\n'))
            {
                int equals = line.IndexOf('=');
                if (line.StartsWith("CONFIG_", StringComparison.Ordinal) && equals > 0) options[line[..equals]] = line[(equals + 1)..].Trim();
            }
            return new KernelConfig(options);
        }

        internal bool IsKnown => _options is not null;

        /// <summary>The options of <paramref name="names"/> that this kernel was built without, in a sentence
        /// ("CONFIG_KPROBES is not set"); empty when the config cannot be read or they are all set.</summary>
        internal string Missing(params string[] names)
        {
            if (_options is null) return "";
            var missing = Array.FindAll(names, n => !_options.TryGetValue(n, out var v) || v is not ("y" or "m"));
            return missing.Length == 0 ? "" : $"{string.Join(" and ", missing)} {(missing.Length == 1 ? "is" : "are")} not set in this kernel's config.";
        }

        private static string Release()
        {
            try { return File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
            catch (IOException) { return ""; }
        }
    }
}
