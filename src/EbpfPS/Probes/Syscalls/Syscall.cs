using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EbpfPS.Bpf;
using EbpfPS.Core;
using EbpfPS.Core.TraceFs;

namespace EbpfPS.Probes.Syscalls
{
    /// <summary>A syscall as tracefs describes it: its sys_enter_NAME / sys_exit_NAME tracepoints and
    /// its arguments, named and typed by the enter format.</summary>
    internal sealed class Syscall
    {
        private Syscall(string name, TracepointFormat enter, TracepointFormat exit)
        {
            Name = name;
            Enter = enter;
            Exit = exit;
            Arguments = enter.OwnFields.Where(f => f.Name != "__syscall_nr").Take(SyscallRecord.ArgsLength).ToList();
            StringArgument = Arguments.FindIndex(IsUserString);
            BufferArgument = Arguments.FindIndex(f => f.Type.Contains('*', StringComparison.Ordinal) && BufferArgumentNames.Contains(f.Name));
            Namers = Arguments.Select(a => SyscallArgumentNames.For(name, a.Name)).ToArray();
            Number = SyscallNumbers.Of(name);
        }

        internal string Name { get; }
        internal TracepointFormat Enter { get; }
        internal TracepointFormat Exit { get; }
        internal List<TracepointField> Arguments { get; }

        /// <summary>For each argument, what names its numbers (<see cref="SyscallArgumentNames"/>), or null.</summary>
        private Func<long, string>?[] Namers { get; }

        /// <summary>Its x86-64 number (<see cref="SyscallNumbers"/>), or null for one newer than the build's headers.</summary>
        internal int? Number { get; private init; }

        /// <summary>This syscall with another number (null: as if newer than the build's headers).</summary>
        internal Syscall WithNumber(int? number) => new(Name, Enter, Exit) { Number = number };

        internal SyscallSpec Spec => new()
        {
            ArgCount = (uint)Arguments.Count, StringArg = StringArgument, EnterId = (uint)Enter.Id, BufferArg = BufferArgument,
        };

        /// <summary>Index of the first path or name argument (a `const char *` such as filename, pathname,
        /// oldname), which the probe copies as a string; -1 when there is none.</summary>
        internal int StringArgument { get; }

        /// <summary>Index of the I/O buffer (read and write's buf, sendto's buff, recvfrom's ubuf), of which
        /// -CaptureBytes copies as many bytes as the call moved (its return value); -1 when there is none.</summary>
        internal int BufferArgument { get; }

        private static readonly string[] BufferArgumentNames = { "buf", "buff", "ubuf" };

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
                { ErrorId = BpfErrorIds.SyscallNotFound });
                foreach (var enter in enters)
                {
                    string name = enter.Name["sys_enter_".Length..];
                    if (result.Any(s => s.Name == name)) continue;
                    result.Add(new Syscall(name, enter, TracepointFormat.Read(traceFs, "syscalls", "sys_exit_" + name)));
                }
            }
            return result;
        }

        /// <summary>An argument as its C type says (each sits in an 8-byte word): `int dfd` is -100, not 4294967196.</summary>
        internal static object Value(TracepointField field, ulong raw)
        {
            if (field.Kind != FieldKind.Integer || !CIntegerTypes.TryGet(field.Type, out int size, out bool signed)) return raw;
            Span<byte> word = stackalloc byte[sizeof(ulong)];
            BinaryPrimitives.WriteUInt64LittleEndian(word, raw);
            return TracepointDecoder.Integer(word[..size], size, signed);
        }

        /// <summary>Argument <paramref name="index"/> as text: a string quoted, a pointer in hex, a well-known
        /// number by its names (flags=O_RDONLY|O_CLOEXEC), any other number as it is.</summary>
        internal string Text(int index, object? value)
        {
            var field = Arguments[index];
            return value switch
            {
                string s => $"{field.Name}=\"{s}\"",
                ulong pointer when field.Type.Contains('*', StringComparison.Ordinal) => $"{field.Name}=0x{pointer:x}",
                _ when Namers[index] is { } namer && value is not null => $"{field.Name}={namer(value is ulong u ? unchecked((long)u) : Convert.ToInt64(value, CultureInfo.InvariantCulture))}",
                _ => $"{field.Name}={Convert.ToString(value, CultureInfo.InvariantCulture)}",
            };
        }
    }
}
