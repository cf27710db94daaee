using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EbpfPS.Core;
using EbpfPS.Core.TraceFs;

namespace EbpfPS.Probes.Syscalls
{
    /// <summary>A syscall as tracefs describes it: its sys_enter_NAME / sys_exit_NAME tracepoints and
    /// its arguments, named and typed by the enter format.</summary>
    internal sealed class Syscall
    {
        // Argument types whose values are signed (the format stores every argument as an unsigned long).
        private static readonly HashSet<string> Signed32 = new(StringComparer.Ordinal)
            { "int", "pid_t", "clockid_t", "timer_t", "key_serial_t", "mqd_t", "s32", "__s32" };
        private static readonly HashSet<string> Signed64 = new(StringComparer.Ordinal)
            { "long", "off_t", "loff_t", "ssize_t", "s64", "__s64" };
        private static readonly HashSet<string> Unsigned32 = new(StringComparer.Ordinal)
            { "unsigned int", "unsigned", "u32", "__u32", "uid_t", "gid_t", "umode_t", "qid_t", "rwf_t" };

        private Syscall(string name, TracepointFormat enter, TracepointFormat exit)
        {
            Name = name;
            Enter = enter;
            Exit = exit;
            Arguments = enter.OwnFields.Where(f => f.Name != "__syscall_nr").Take(SyscallRecord.MaxArgs).ToList();
            StringArgument = Arguments.FindIndex(IsUserString);
        }

        internal string Name { get; }
        internal TracepointFormat Enter { get; }
        internal TracepointFormat Exit { get; }
        internal List<TracepointField> Arguments { get; }

        /// <summary>Index of the first path or name argument (a `const char *` such as filename, pathname,
        /// oldname), which the probe copies as a string; -1 when there is none.</summary>
        internal int StringArgument { get; }

        // `const char *` is also write(2)'s buffer: only arguments named like paths and names are strings.
        private static readonly string[] StringArgumentNames = { "name", "path", "file", "dir", "special" };

        private static bool IsUserString(TracepointField field) =>
            field.Type.Replace(" ", "", StringComparison.Ordinal) == "constchar*"
            && StringArgumentNames.Any(n => field.Name.Contains(n, StringComparison.Ordinal));

        /// <summary>The syscalls matching the names (wildcards allowed: open*, *stat*).</summary>
        internal static List<Syscall> Resolve(string traceFs, IEnumerable<string> patterns)
        {
            var result = new List<Syscall>();
            foreach (var pattern in patterns)
            {
                var enters = Core.TraceFs.Tracepoints.Resolve(traceFs, "syscalls:sys_enter_" + pattern, notFound: () => new BpfException(
                    BpfErrorKind.NotFound, $"This kernel has no syscall matching '{pattern}'.",
                    "Name it as in `man 2`: write, openat, clone3; wildcards work (open*). Get-BpfTracepoint -Name 'syscalls:sys_enter_*' lists them.")
                { ErrorId = "SyscallNotFound" });
                foreach (var enter in enters)
                {
                    string name = enter.Name["sys_enter_".Length..];
                    if (result.Any(s => s.Name == name)) continue;
                    result.Add(new Syscall(name, enter, TracepointFormat.Read(traceFs, "syscalls", "sys_exit_" + name)));
                }
            }
            return result;
        }

        /// <summary>An argument as the C type says: signed where it is, a string where the probe read one.</summary>
        internal static object Value(TracepointField field, ulong raw)
        {
            string type = field.Type.Replace("const ", "", StringComparison.Ordinal).Trim();
            if (Signed32.Contains(type)) return (int)(uint)raw;
            if (Signed64.Contains(type)) return (long)raw;
            if (Unsigned32.Contains(type)) return (uint)raw;
            return raw;
        }

        internal static string Text(TracepointField field, object? value) => value switch
        {
            string s => $"{field.Name}=\"{s}\"",
            ulong pointer when field.Type.Contains('*', StringComparison.Ordinal) => $"{field.Name}=0x{pointer:x}",
            _ => $"{field.Name}={Convert.ToString(value, CultureInfo.InvariantCulture)}",
        };
    }
}
