using EbpfPS.Core.Objects;
using EbpfPS.Core.Symbols;

namespace EbpfPS.Probes
{
    /// <summary>bpf/stacks.h, loaded: the stacks that records name by id.</summary>
    internal interface IStackSkeleton
    {
        BpfMap Stacks { get; }
        BpfMap UserStacks { get; }
    }

    /// <summary>bpf/stacks.h, before load: which stacks records take, and room for them.</summary>
    internal interface IOpenStackSkeleton
    {
        ref uint StackKinds { get; }
        BpfOpenMap Stacks { get; }
        BpfOpenMap UserStacks { get; }
    }

    /// <summary>An event that can carry the stacks where it happened (-Stack).</summary>
    internal interface IStackedEvent
    {
        BpfStack KernelStack { get; set; }
        BpfStack UserStack { get; set; }
        /// <summary>The thread's name, which finds the program of a process that has exited.</summary>
        string Command { get; }
    }

    /// <summary>-Stack for a probe whose object includes bpf/stacks.h: the kernel takes a stack id with each record, and
    /// the event gets the frames, each unique stack named once (<see cref="StackTable"/>).</summary>
    internal sealed class StackCapture
    {
        private readonly StackTable _table;

        private StackCapture(StackTable table) => _table = table;

        /// <summary>Before load: the kinds asked for; the map of a kind not asked for shrinks to one entry.</summary>
        internal static void Configure(IOpenStackSkeleton skeleton, BpfStackKind kinds)
        {
            skeleton.StackKinds = (uint)kinds;
            if (!kinds.HasFlag(BpfStackKind.Kernel)) skeleton.Stacks.SetMaxEntries(1);
            if (!kinds.HasFlag(BpfStackKind.User)) skeleton.UserStacks.SetMaxEntries(1);
        }

        /// <summary>After load: what names the stack ids of records, or null when none were asked for.</summary>
        internal static StackCapture? For(IStackSkeleton skeleton, BpfStackKind kinds) =>
            kinds == BpfStackKind.None ? null : new StackCapture(StackTable.For(skeleton.Stacks, skeleton.UserStacks, kinds));

        /// <summary>The event's frames from the record's stack ids (negative: none taken, or lost); the user stack first,
        /// while its process may still be there to read the mappings of.</summary>
        internal void Fill(IStackedEvent e, int processId, int kernelStack, int userStack)
        {
            e.UserStack = _table.User(processId, userStack, e.Command);
            e.KernelStack = _table.Kernel(kernelStack);
        }
    }
}
