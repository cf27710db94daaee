using System.Linq;
using EbpfPS.Bpf;
using EbpfPS.Core;
using EbpfPS.Interop;
using EbpfPS.Probes.Aggregation;

namespace EbpfPS.Probes.Exec
{
    /// <summary>What Measure-BpfTrace -Exec counts by and measures: the fields of bpf/exec.h's exec_record (after the
    /// exec: Command is the new program's name) and the task's user and cgroup.</summary>
    internal static class ExecMeasures
    {
        internal static readonly string[] KeyNames = TaskKeys.Names.Concat(new[] { "ParentProcessId", "ParentCommand", "ReturnValue", "ErrorName" }).ToArray();

        internal static readonly string[] ValueNames = { "Duration", "ReturnValue" };

        internal static AggregateField Key(string name, CgroupNames cgroups) => TaskKeys.Key<ExecRecord>(name, cgroups) ?? name.ToLowerInvariant() switch
        {
            "parentprocessid" => new("ParentProcessId", AggregateField.Field(ExecRecord.PpidOffset, ExecRecord.PpidBytes), (w, _) => (int)w),
            "parentcommand" => new("ParentCommand", AggregateField.Field(ExecRecord.ParentCommOffset, ExecRecord.ParentCommBytes), AggregateField.Comm),
            "returnvalue" => ReturnValue,
            "errorname" => new("ErrorName", AggregateField.Special(AggSource.Errno, ExecRecord.RetOffset, ExecRecord.RetBytes), (w, _) => w == 0 ? "" : Errno.Name((int)w)),
            _ => throw Unknown(name, KeyNames),
        };

        internal static AggregateField Value(string name) => name.ToLowerInvariant() switch
        {
            "duration" => new("Duration", new AggPart
            {
                Source = AggSource.Difference, Offset = ExecRecord.ExitNsOffset, Offset2 = ExecRecord.EnterNsOffset, Size = ExecRecord.ExitNsBytes,
            }, (w, _) => (long)w, "ns"),
            "returnvalue" => ReturnValue,
            _ => throw Unknown(name, ValueNames),
        };

        private static AggregateField ReturnValue => new("ReturnValue", AggregateField.Field(ExecRecord.RetOffset, ExecRecord.RetBytes, signed: true), (w, _) => (int)w);

        private static BpfException Unknown(string name, string[] known) =>
            new(BpfErrorKind.NotFound, $"'{name}' is not one of {string.Join(", ", known)}, what an exec is measured by.",
                "Give one of those names; to count by the program's path or arguments, stream the execs with Start-BpfTrace -Exec and group them with Group-Object.")
            { ErrorId = BpfErrorIds.UnknownMeasureField };
    }
}
