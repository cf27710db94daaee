using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using EbpfPS.Core;
using EbpfPS.Xdp;

namespace EbpfPS.Registrations
{
    /// <summary>Where registrations live between processes: /sys/fs/bpf/ebpfps/registered/NAME/ holds programs/,
    /// maps/ and links/, one pin each (a link's pin is what keeps its program attached), and attachments/: for each
    /// program attached otherwise than by a link (to a socket map, as a tc filter) a symlink whose target is the
    /// record that undoes it (bpffs holds pins, directories and symlinks, no files).</summary>
    internal static class RegistrationPins
    {
        internal const string Root = XdpPins.Root + "/registered";
        internal const string Programs = "programs", Maps = "maps", Links = "links", Attachments = "attachments";
        private const string LockPath = XdpPins.LockDirectory + "/registrations.lock";

        // bpffs refuses names with dots (they are the kernel's own files)
        private static readonly Regex ValidName = new("^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$");

        internal static string Directory(string name) => Path.Combine(Root, name);

        internal static bool Exists(string name) => ValidName.IsMatch(name) && System.IO.Directory.Exists(Directory(name));

        internal static void DemandValidName(string name)
        {
            if (!ValidName.IsMatch(name))
                throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"'{name}' cannot name a registration: it is the name of a directory under {Root}.",
                    "Give 1 to 64 letters, digits, '_' or '-', not starting with '-' (bpffs refuses dots in names).") { ErrorId = BpfErrorIds.InvalidRegistrationName };
        }

        /// <summary>The names of the registrations, in order.</summary>
        internal static IEnumerable<string> Names() =>
            System.IO.Directory.Exists(Root)
                ? System.IO.Directory.GetDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(n => ValidName.IsMatch(n)).OrderBy(n => n, StringComparer.Ordinal)
                : Enumerable.Empty<string>();

        /// <summary>The names <paramref name="pattern"/> gives: the registrations it matches when it has wildcards (none
        /// is no error, as with Get-Process -Name), else the name itself, there or not.</summary>
        internal static IEnumerable<string> Matching(string pattern) =>
            System.Management.Automation.WildcardPattern.ContainsWildcardCharacters(pattern)
                ? Names().Where(new System.Management.Automation.WildcardPattern(pattern, System.Management.Automation.WildcardOptions.IgnoreCase).IsMatch)
                : new[] { pattern };

        /// <summary>The registration a pinned object belongs to, from its pin paths, or null.</summary>
        internal static string? NameOf(IEnumerable<string> pinnedPaths) =>
            pinnedPaths.Select(p => p.StartsWith(Root + "/", StringComparison.Ordinal) ? p[(Root.Length + 1)..].Split('/')[0] : null)
                .FirstOrDefault(n => n is not null);

        /// <summary>The host-wide lock of registration changes; dispose to release it.</summary>
        internal static IDisposable Lock() => XdpPins.Lock(LockPath, "registration changes", BpfErrorIds.BpfRegistrationBusy);

        /// <summary>Makes the registration's directory and its three folders, under a root only root may change.</summary>
        internal static string Create(string name)
        {
            XdpPins.DemandSafeRoot();
            XdpPins.MakeDirectory(Root);
            string directory = Directory(name);
            XdpPins.MakeDirectory(directory);
            foreach (var folder in new[] { Programs, Maps, Links, Attachments }) XdpPins.MakeDirectory(Path.Combine(directory, folder));
            return directory;
        }

        /// <summary>The pin of an object of the registration: in <paramref name="folder"/>, its name with the dots of
        /// libbpf's internal maps (x.bss, x.rodata) as underscores, as libbpf pins them.</summary>
        internal static string PinOf(string directory, string folder, string objectName) =>
            Path.Combine(directory, folder, objectName.Replace('.', '_'));

        /// <summary>The pins of one folder of the registration.</summary>
        internal static string[] Pins(string name, string folder)
        {
            string path = Path.Combine(Directory(name), folder);
            return System.IO.Directory.Exists(path) ? System.IO.Directory.GetFiles(path).OrderBy(p => p, StringComparer.Ordinal).ToArray() : Array.Empty<string>();
        }

        /// <summary>Deletes every pin of the registration and its directories, then the roots once they are empty.</summary>
        internal static void Delete(string name)
        {
            string directory = Directory(name);
            if (System.IO.Directory.Exists(directory))
            {
                foreach (var folder in System.IO.Directory.GetDirectories(directory))
                {
                    foreach (var pin in System.IO.Directory.GetFiles(folder)) File.Delete(pin);
                    System.IO.Directory.Delete(folder);
                }
                foreach (var pin in System.IO.Directory.GetFiles(directory)) File.Delete(pin);
                System.IO.Directory.Delete(directory);
            }
            foreach (var root in new[] { Root, XdpPins.Root })
                if (System.IO.Directory.Exists(root) && !System.IO.Directory.EnumerateFileSystemEntries(root).Any())
                    System.IO.Directory.Delete(root);
        }
    }
}
