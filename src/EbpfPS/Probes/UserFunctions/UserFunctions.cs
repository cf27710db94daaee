using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Core.Symbols;

namespace EbpfPS.Probes.UserFunctions
{
    /// <summary>A user-space function a uprobe goes on: its ELF file, its symbol, and where its first instruction is in
    /// the file (the kernel wants the file offset, not the address the program sees).</summary>
    internal sealed record UserFunction(string Path, string Name, ulong Offset);

    /// <summary>Finds user functions written FILE:SYMBOL. FILE is a path, or a library's name (libc, libssl.so.3) looked
    /// up, for a process, among the files it has mapped, else as the dynamic linker would (the directories of
    /// /etc/ld.so.conf, then the default ones); SYMBOL a function's name, wildcards allowed, from the file's .symtab and
    /// .dynsym.</summary>
    internal static class UserFunctions
    {
        /// <summary>A wildcard matches at most so many functions: each is two uprobes.</summary>
        internal const int MaxFunctions = 1000;

        private static readonly string[] DefaultLibraryDirectories =
            { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib" };

        internal static IReadOnlyList<UserFunction> Resolve(string spec, int? processId)
        {
            int colon = spec.LastIndexOf(':');
            if (colon <= 0 || colon == spec.Length - 1)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"'{spec}' does not name a user function as FILE:FUNCTION.",
                    "Give the program or library and the function: /bin/bash:readline, libc:malloc, /usr/sbin/nginx:ngx_http_*.")
                { ErrorId = BpfErrorIds.UserFunctionInvalid };
            string path = Binary(spec[..colon], processId);
            var functions = Functions(path, spec[(colon + 1)..]);
            if (functions.Count > MaxFunctions)
                throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"'{spec}' matches {functions.Count} functions of {path}; a trace takes at most {MaxFunctions}.",
                    "Narrow the pattern: Get-BpfUserFunction lists what a pattern matches.") { ErrorId = BpfErrorIds.UserFunctionsTooMany };
            return functions;
        }

        /// <summary>The ELF file FILE names: a path as it is, else a library by its name. For a process in a mount
        /// namespace of its own (a container) both are looked up in its file system, through /proc/PID/root.</summary>
        internal static string Binary(string file, int? processId)
        {
            string root = processId is { } id ? Root(id) : "";
            if (file.Contains('/'))
            {
                string path = Path.GetFullPath(file);
                if (root != "" && File.Exists(root + path)) return root + path;
                if (File.Exists(path)) return path;
                throw NotFound(file, $"There is no file '{file}'.");
            }
            // the process's own copy first (a container's, another version), else the one the linker would load now
            var candidates = (processId is { } pid ? MappedFiles(pid).Select(f => root + f) : Enumerable.Empty<string>())
                .Concat(LibraryDirectories(root).SelectMany(Files));
            return candidates.FirstOrDefault(f => IsLibrary(Path.GetFileName(f), file) && IsElf(f))
                ?? throw NotFound(file, $"No library '{file}' was found{(processId is { } p ? $" among the files process {p} has mapped, nor" : "")} in {string.Join(", ", LibraryDirectories(root).Take(4))}...");
        }

        /// <summary>"/proc/PID/root" when the process sees another file system than this one (its mount namespace differs),
        /// else "": what its paths are to be prefixed with here. (The kernel resolves a uprobe's path through that link to
        /// the container's own file.)</summary>
        internal static string Root(int pid)
        {
            try
            {
                string? theirs = new FileInfo($"/proc/{pid}/ns/mnt").LinkTarget, ours = new FileInfo("/proc/self/ns/mnt").LinkTarget;
                return theirs is not null && theirs != ours ? $"/proc/{pid}/root" : "";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
        }

        /// <summary>The functions of PATH whose names match PATTERN, one per address (aliases such as getppid and
        /// __getppid share one: the name without leading underscores is kept).</summary>
        internal static List<UserFunction> Functions(string path, string pattern)
        {
            var elf = ElfSymbols.TryRead(path)
                ?? throw new BpfException(BpfErrorKind.InvalidArgument, $"'{path}' is not a 64-bit ELF program or library.",
                    "Name the program's binary itself, not a script or a wrapper (readlink -f, or `file` tells what it is).")
                { ErrorId = BpfErrorIds.UserBinaryNotElf };
            var wildcard = new WildcardPattern(pattern, WildcardOptions.None);
            // one per address: ElfSymbols sorts aliases so that the name to keep comes first
            var found = elf.Functions.Where(f => wildcard.IsMatch(f.Name))
                .Select(f => (f.Name, Offset: elf.FileOffset(f.Address)))
                .Where(f => f.Offset is not null)
                .GroupBy(f => f.Offset!.Value)
                .Select(g => new UserFunction(path, g.First().Name, g.Key))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .ToList();
            if (found.Count > 0) return found;
            bool stripped = !elf.HasSymtab;
            throw new BpfException(BpfErrorKind.NotFound,
                $"{path} has no function '{pattern}'{(stripped ? $": it is stripped (no .symtab), and its {elf.DynamicSymbols} dynamic symbols do not name it" : "")}.",
                stripped
                    ? "Only the functions a stripped file exports can be traced; install its debug symbols' unstripped build, or trace a library function it calls."
                    : $"Get-BpfUserFunction -Path {path} -Name '*' lists its functions.")
            { ErrorId = BpfErrorIds.UserFunctionNotFound };
        }

        /// <summary>libc matches libc.so.6 and libc-2.31.so; libc.so.6 itself; c does not.</summary>
        private static bool IsLibrary(string fileName, string name) =>
            fileName == name || fileName.StartsWith(name + ".so", StringComparison.Ordinal) || fileName.StartsWith(name + "-", StringComparison.Ordinal) && fileName.Contains(".so", StringComparison.Ordinal);

        private static bool IsElf(string path)
        {
            try
            {
                using var file = File.OpenRead(path);
                Span<byte> magic = stackalloc byte[4];
                return file.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8);
            }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        }

        /// <summary>The files a process has mapped (/proc/PID/maps), in the order they appear.</summary>
        private static IEnumerable<string> MappedFiles(int pid)
        {
            string maps = $"/proc/{pid}/maps";
            if (!File.Exists(maps))
                throw new BpfException(BpfErrorKind.NotFound, $"There is no process {pid}.", "Give the id of a running process (Get-Process).")
                { ErrorId = BpfErrorIds.UserBinaryNotFound };
            return File.ReadLines(maps).Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length == 6 && fields[5].StartsWith('/')).Select(fields => fields[5].Trim()).Distinct().ToList();
        }

        /// <summary>The dynamic linker's directories: those /etc/ld.so.conf names (with its includes), then the defaults;
        /// of the file system below <paramref name="root"/>.</summary>
        private static IEnumerable<string> LibraryDirectories(string root) =>
            ConfiguredDirectories(root, "/etc/ld.so.conf", depth: 0).Concat(DefaultLibraryDirectories).Select(d => root + d).Where(Directory.Exists).Distinct();

        private static IEnumerable<string> ConfiguredDirectories(string root, string conf, int depth)
        {
            if (depth > 4 || !File.Exists(root + conf)) yield break;
            foreach (var raw in File.ReadLines(root + conf))
            {
                string line = raw.Split('#')[0].Trim();
                if (line.StartsWith("include ", StringComparison.Ordinal))
                {
                    string glob = line["include ".Length..].Trim();
                    string directory = Path.GetDirectoryName(glob) ?? "/";
                    if (!Directory.Exists(root + directory)) continue;
                    foreach (var included in Directory.GetFiles(root + directory, Path.GetFileName(glob)).Order(StringComparer.Ordinal))
                        foreach (var found in ConfiguredDirectories(root, included[root.Length..], depth + 1)) yield return found;
                }
                else if (line.StartsWith('/')) yield return line;
            }
        }

        private static IEnumerable<string> Files(string directory)
        {
            try { return Directory.GetFiles(directory).Order(StringComparer.Ordinal).ToList(); }
            catch (IOException) { return Array.Empty<string>(); }
            catch (UnauthorizedAccessException) { return Array.Empty<string>(); }
        }

        private static BpfException NotFound(string file, string message) =>
            new(BpfErrorKind.NotFound, message, "Give the program's or library's path (/usr/lib/x86_64-linux-gnu/libc.so.6), or -ProcessId to find the library among those the process has loaded.")
            { ErrorId = BpfErrorIds.UserBinaryNotFound };
    }
}
