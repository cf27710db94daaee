using System;
using System.Linq;
using EbpfPS.Bpf;
using EbpfPS.Core;
using EbpfPS.Core.Btf;
using EbpfPS.Interop;
using EbpfPS.Probes.Aggregation;

namespace EbpfPS.Probes.KernelFunctions
{
    /// <summary>What Measure-BpfTrace -KernelFunction counts by and measures: the task, the function's return, and its
    /// arguments by the names of its BTF prototype (arg0 to arg5 without BTF), from bpf/kfunc.h's kfunc_record.</summary>
    internal static class KernelFunctionMeasures
    {
        internal static readonly string[] KeyNames = TaskKeys.Names.Concat(new[] { "ReturnValue", "ErrorName" }).Concat(TaskKeys.StackNames).ToArray();

        internal static readonly string[] ValueNames = { "Duration", "ReturnValue" };

        /// <summary>Whether what is named needs the function's return (kretprobe or fexit) besides its entry.</summary>
        internal static bool FromReturn(string name) =>
            name.Equals("Duration", StringComparison.OrdinalIgnoreCase) || name.Equals("ReturnValue", StringComparison.OrdinalIgnoreCase)
            || name.Equals("ErrorName", StringComparison.OrdinalIgnoreCase);

        internal static AggregateField Key(string name, BtfFunction? prototype, CgroupNames cgroups, StackKeys? stacks = null) =>
            TaskKeys.Key<KfuncRecord>(name, cgroups, stacks) ?? name.ToLowerInvariant() switch
        {
            "returnvalue" when prototype?.ReturnType.IsString == true =>
                new("ReturnValue", AggregateField.Text(AggSource.StringPointer, KfuncRecord.RetOffset), (_, _) => null),
            "returnvalue" => ReturnValue(prototype),
            "errorname" => new("ErrorName", AggregateField.Special(AggSource.Errno, KfuncRecord.RetOffset, ReturnSize(prototype)), (w, _) => w == 0 ? "" : Errno.Name((int)w)),
            _ => Argument(name, prototype, KeyNames, key: true),
        };

        internal static AggregateField Value(string name, BtfFunction? prototype) => name.ToLowerInvariant() switch
        {
            "duration" => new("Duration", AggregateField.Field(KfuncRecord.DurationNsOffset, KfuncRecord.DurationNsBytes), (w, _) => (long)w, "ns"),
            "returnvalue" => ReturnValue(prototype),
            _ => Argument(name, prototype, ValueNames, key: false),
        };

        /// <summary>Bytes of the return register that hold the value: an int's upper half may hold anything.</summary>
        private static int ReturnSize(BtfFunction? prototype) => prototype?.ReturnType.Size is 1 or 2 or 4 or 8 ? prototype.ReturnType.Size : KfuncRecord.RetBytes;

        private static AggregateField ReturnValue(BtfFunction? prototype) =>
            new("ReturnValue", AggregateField.Field(KfuncRecord.RetOffset, ReturnSize(prototype), signed: prototype?.ReturnType.Shape != ValueShape.Unsigned),
                (w, _) => prototype?.ReturnType.Decode(w) ?? (long)w);

        /// <summary>An argument by its name in the prototype, or as arg0 to arg5. As a key, a `char *` counts by the text it
        /// points to (kernel memory, else user memory as with a syscall's path), not by its address.</summary>
        private static AggregateField Argument(string name, BtfFunction? prototype, string[] others, bool key)
        {
            int index = prototype?.Parameters.ToList().FindIndex(p => p.Name == name) ?? -1;
            if (index < 0 && name.StartsWith("arg", StringComparison.OrdinalIgnoreCase) && int.TryParse(name.AsSpan(3), out int n)) index = n;
            if (index < 0 || index >= Math.Min(KfuncRecord.ArgsLength, prototype?.Parameters.Count ?? KfuncRecord.ArgsLength))
                throw new BpfException(BpfErrorKind.NotFound,
                    $"'{name}' is neither one of {string.Join(", ", others)} nor an argument of {(prototype is null ? "the function (arg0 to arg5)" : prototype.Prototype)}.",
                    "Name an argument as the function's prototype does: Get-BpfKernelFunction NAME shows it.")
                { ErrorId = BpfErrorIds.UnknownMeasureField };
            var parameter = prototype?.Parameters[index];
            if (key && parameter is { Type.IsString: true })
                return new(parameter.Name, AggregateField.Text(AggSource.StringPointer, KfuncRecord.ArgsOffset + index * sizeof(ulong)), (_, _) => null);
            // Only the bytes of the argument's type: the rest of its register may hold anything.
            int size = parameter?.Type.Size is 1 or 2 or 4 or 8 ? parameter.Type.Size : 8;
            return new(parameter?.Name ?? $"arg{index}", AggregateField.Field(KfuncRecord.ArgsOffset + index * sizeof(ulong), size, parameter?.Type.Shape == ValueShape.Signed),
                (w, _) => parameter?.Type.Decode(w) ?? w);
        }
    }
}
