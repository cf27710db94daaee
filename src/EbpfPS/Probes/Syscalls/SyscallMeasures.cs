using System;
using System.Collections.Generic;
using System.Linq;
using EbpfPS.Bpf;
using EbpfPS.Core;
using EbpfPS.Core.TraceFs;
using EbpfPS.Interop;
using EbpfPS.Probes.Aggregation;

namespace EbpfPS.Probes.Syscalls
{
    /// <summary>What Measure-BpfTrace -Syscall counts by (-By) and measures (-Sum, -Histogram...): the fields of
    /// bpf/syscall.h's syscall_record, the task's user and cgroup, and the syscalls' own arguments by name.</summary>
    internal static class SyscallMeasures
    {
        /// <summary>The keys every syscall has; any argument name (fd, count, flags...) is one too.</summary>
        internal static readonly string[] KeyNames = TaskKeys.Names.Concat(new[] { "Syscall", "ReturnValue", "ErrorName" }).Concat(TaskKeys.StackNames).ToArray();

        /// <summary>The values every syscall has; any numeric argument is one too.</summary>
        internal static readonly string[] ValueNames = { "Duration", "ReturnValue" };

        internal static AggregateField Key(string name, IReadOnlyList<Syscall> syscalls, CgroupNames cgroups, StackKeys? stacks = null)
        {
            var names = syscalls.ToDictionary(s => (ulong)s.Enter.Id, s => s.Name);
            return TaskKeys.Key<SyscallRecord>(name, cgroups, stacks) ?? name.ToLowerInvariant() switch
            {
                "syscall" => new("Syscall", AggregateField.Field(SyscallRecord.EnterIdOffset, SyscallRecord.EnterIdBytes),
                    (w, _) => names.TryGetValue(w, out var syscall) ? syscall : $"syscall {w}"),
                "returnvalue" => new("ReturnValue", AggregateField.Field(SyscallRecord.RetOffset, SyscallRecord.RetBytes, signed: true), (w, _) => (long)w),
                "errorname" => new("ErrorName", AggregateField.Special(AggSource.Errno, SyscallRecord.RetOffset, SyscallRecord.RetBytes),
                    (w, _) => w == 0 ? "" : Errno.Name((int)w)),
                _ => Argument(name, syscalls, KeyNames, key: true),
            };
        }

        internal static AggregateField Value(string name, IReadOnlyList<Syscall> syscalls) => name.ToLowerInvariant() switch
        {
            "duration" => new("Duration", new AggPart
            {
                Source = AggSource.Difference, Offset = SyscallRecord.ExitNsOffset,
                Offset2 = SyscallRecord.EnterNsOffset, Size = SyscallRecord.ExitNsBytes,
            }, (w, _) => (long)w, "ns", FromEntry: true),
            "returnvalue" => new("ReturnValue", AggregateField.Field(SyscallRecord.RetOffset, SyscallRecord.RetBytes, signed: true), (w, _) => (long)w),
            _ => Argument(name, syscalls, ValueNames, key: false),
        };

        /// <summary>An argument by its name in the syscalls' formats: it must be the same argument of each. As a key, a path
        /// or name that the probe reads as a string (openat's filename) counts by its text, not by its address.</summary>
        private static AggregateField Argument(string name, IReadOnlyList<Syscall> syscalls, string[] others, bool key)
        {
            var positions = syscalls.Select(s => s.Arguments.FindIndex(a => a.Name == name)).Distinct().ToList();
            if (positions.Count != 1 || positions[0] < 0)
                throw new BpfException(BpfErrorKind.NotFound,
                    $"'{name}' is neither one of {string.Join(", ", others)} nor an argument at the same place in every syscall traced ({string.Join(", ", syscalls.Select(s => s.Name))}).",
                    "Name an argument as the syscall's format does: (Get-BpfTracepoint -Name syscalls:sys_enter_write).Fields lists write's (fd, buf, count).")
                { ErrorId = BpfErrorIds.UnknownMeasureField };
            int index = positions[0];
            var field = syscalls[0].Arguments[index];
            if (key && syscalls.All(s => s.StringArgument == index))
                return new(field.Name, AggregateField.Text(AggSource.Text, SyscallRecord.DataOffset, SyscallRecord.DataLenOffset),
                    (_, _) => null, FromEntry: true);
            bool integer = CIntegerTypes.TryGet(field.Type, out int size, out bool signed);
            if (!integer) (size, signed) = (8, false);
            return new(field.Name, AggregateField.Field(SyscallRecord.ArgsOffset + index * sizeof(ulong), size, signed),
                (w, _) => Syscall.Value(field, w), FromEntry: true);
        }
    }
}
