using System;
using EbpfPS.Bpf;
using EbpfPS.Core.Symbols;

namespace EbpfPS.Probes.Aggregation
{
    /// <summary>-By KernelStack and UserStack: the kernel counts by the stack ids of the records (bpf/stacks.h), and each
    /// id reads back as its stack, folded (outermost function first), through the loaded object's stack table. A user
    /// stack's key carries its process, whose mappings name its addresses (as bpftrace's ustack does).</summary>
    internal sealed class StackKeys
    {
        private StackTable? _table;

        /// <summary>The stacks the keys asked for so far: what the probe takes before load.</summary>
        internal BpfStackKind Kinds { get; private set; }

        internal AggregateField? Key(string name, TaskPlaces places)
        {
            if (name.Equals("KernelStack", StringComparison.OrdinalIgnoreCase) && places.KernelStackOffset >= 0)
            {
                Kinds |= BpfStackKind.Kernel;
                return new("KernelStack", AggregateField.Field(places.KernelStackOffset, sizeof(int), signed: true),
                    (id, _) => Folded((int)id, table => table.Kernel((int)id)));
            }
            if (name.Equals("UserStack", StringComparison.OrdinalIgnoreCase) && places.UserStackOffset >= 0)
            {
                Kinds |= BpfStackKind.User;
                var pair = new AggPart { Source = AggSource.Pair, Offset = (uint)places.UserStackOffset, Size = sizeof(int), IsSigned = 1, Offset2 = (uint)places.PidOffset };
                return new("UserStack", pair, (id, pid) => Folded((int)id, table => table.User((int)pid, (int)id)));
            }
            return null;
        }

        /// <summary>After load: the object whose stack map the ids are of.</summary>
        internal void Attach(IStackSkeleton skeleton)
        {
            if (Kinds != BpfStackKind.None) _table = StackTable.For(skeleton.Stacks, skeleton.UserStacks, Kinds);
        }

        private string Folded(int id, Func<StackTable, BpfStack> frames) =>
            StackTable.Lost(id) ? "[lost: stack map collision]" : _table is null ? "" : frames(_table).ToString();
    }
}
