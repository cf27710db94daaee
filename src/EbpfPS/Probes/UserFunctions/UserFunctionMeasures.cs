using System;
using System.Collections.Generic;
using System.Linq;
using EbpfPS.Bpf;
using EbpfPS.Core.Btf;
using EbpfPS.Probes.Aggregation;
using EbpfPS.Probes.KernelFunctions;

namespace EbpfPS.Probes.UserFunctions
{
    /// <summary>What Measure-BpfTrace -UserFunction counts by and measures: what a kernel function has (the task,
    /// ReturnValue, ErrorName, Duration, the arguments by -ArgumentType's names or as arg0 to arg5), in the same record,
    /// and the Function a wildcard matched.</summary>
    internal static class UserFunctionMeasures
    {
        internal static readonly string[] KeyNames = KernelFunctionMeasures.KeyNames.Append("Function").ToArray();

        internal static AggregateField Key(string name, IReadOnlyList<UserFunction> functions, BtfFunction? prototype, CgroupNames cgroups,
            StackKeys? stacks = null) =>
            name.Equals("Function", StringComparison.OrdinalIgnoreCase)
                ? new("Function", AggregateField.Field(KfuncRecord.CookieOffset, KfuncRecord.CookieBytes),
                    (w, _) => w < (ulong)functions.Count ? functions[(int)w].Name : $"function {w}")
                : KernelFunctionMeasures.Key(name, prototype, cgroups, stacks);

        internal static AggregateField Value(string name, BtfFunction? prototype) => KernelFunctionMeasures.Value(name, prototype);
    }
}
