using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Probes;
using EbpfPS.Probes.Aggregation;

namespace EbpfPS.Bpf
{
    // The roles of the generated skeletons (obj/bpf/Skeletons.g.cs), in each phase: what objects that include
    // the same header have in common, so that one piece of C# serves them all. The compiler checks that each
    // skeleton has what its roles need.

    internal sealed partial class ExecSkeleton : IRingBufferSkeleton, ITaskMatchSkeleton, IAggregateSkeleton
    {
        internal sealed partial class Open : IOpenRingBufferSkeleton, IOpenTaskMatchSkeleton, IOpenAggregateSkeleton { }
    }

    internal sealed partial class KfuncSkeleton : IRingBufferSkeleton, ITaskMatchSkeleton, IAggregateSkeleton, IStackSkeleton
    {
        internal sealed partial class Open : IOpenRingBufferSkeleton, IOpenTaskMatchSkeleton, IOpenAggregateSkeleton, IOpenStackSkeleton { }
    }

    internal sealed partial class ProfileSkeleton : IStackSkeleton { }

    internal sealed partial class SignalSkeleton : IRingBufferSkeleton
    {
        internal sealed partial class Open : IOpenRingBufferSkeleton { }
    }

    internal sealed partial class SyscallSkeleton : IRingBufferSkeleton, ITaskMatchSkeleton, IAggregateSkeleton, IStackSkeleton
    {
        internal sealed partial class Open : IOpenRingBufferSkeleton, IOpenTaskMatchSkeleton, IOpenAggregateSkeleton, IOpenStackSkeleton { }
    }

    internal sealed partial class TracepointSkeleton : IRingBufferSkeleton, ITaskMatchSkeleton, IAggregateSkeleton, IStackSkeleton
    {
        internal sealed partial class Open : IOpenRingBufferSkeleton, IOpenTaskMatchSkeleton, IOpenAggregateSkeleton, IOpenStackSkeleton { }
    }

    // The records that tell their task, through the generated places of their members: a C member renamed
    // fails the build here.
    internal partial struct ExecRecord : ITaskRecord { static TaskPlaces ITaskRecord.Task => new(PidOffset, PidBytes, TidOffset, TidBytes, CommOffset, CommBytes); }

    internal partial struct KfuncRecord : ITaskRecord
    {
        static TaskPlaces ITaskRecord.Task => new(PidOffset, PidBytes, TidOffset, TidBytes, CommOffset, CommBytes, KernelStackOffset, UserStackOffset);
    }

    internal partial struct SyscallRecord : ITaskRecord
    {
        static TaskPlaces ITaskRecord.Task => new(PidOffset, PidBytes, TidOffset, TidBytes, CommOffset, CommBytes, KernelStackOffset, UserStackOffset);
    }

    internal partial struct TracepointRecord : ITaskRecord
    {
        static TaskPlaces ITaskRecord.Task => new(PidOffset, PidBytes, TidOffset, TidBytes, CommOffset, CommBytes, KernelStackOffset, UserStackOffset);
    }
}

namespace EbpfPS.Probes
{
    /// <summary>bpf/common.h, loaded: the ring of records and the count of those that did not fit.</summary>
    internal interface IRingBufferSkeleton
    {
        BpfObject Object { get; }
        BpfMap Events { get; }
        BpfMap Lost { get; }
    }

    /// <summary>bpf/common.h, before load: the ring's size and wake-up threshold.</summary>
    internal interface IOpenRingBufferSkeleton
    {
        BpfOpenMap Events { get; }
        ref ulong WakeupBytes { get; }
    }

    /// <summary>bpf/task_match.h, loaded: the fork hook and the maps that follow children and name the cgroup
    /// (see <see cref="TaskFilter.Fill"/>).</summary>
    internal interface ITaskMatchSkeleton
    {
        BpfObject Object { get; }
        BpfProgram Fork { get; }
        BpfMap Children { get; }
        BpfMap CgroupFilter { get; }
    }

    /// <summary>bpf/task_match.h, before load: who a trace is limited to (see <see cref="TaskFilter.Configure"/>).</summary>
    internal interface IOpenTaskMatchSkeleton
    {
        ref Bpf.PidSet Pids { get; }
        ref Bpf.TaskMatch TaskMatch { get; }
        ref bool IncludeChildren { get; }
        BpfOpenProgram Fork { get; }
    }
}

namespace EbpfPS.Probes.Aggregation
{
    /// <summary>A record that tells the task it was written in, for <see cref="TaskKeys"/> to count by it in the kernel.</summary>
    internal interface ITaskRecord
    {
        static abstract TaskPlaces Task { get; }
    }

    /// <summary>Where a record holds its task: the offset and bytes of its pid, tid and comm, and of the ids of its stacks
    /// (bpf/stacks.h; -1 where the record takes none).</summary>
    internal readonly record struct TaskPlaces(int PidOffset, int PidBytes, int TidOffset, int TidBytes, int CommOffset, int CommBytes,
        int KernelStackOffset = -1, int UserStackOffset = -1);

    /// <summary>bpf/aggregate.h, loaded: what the kernel counted instead of sending records.</summary>
    internal interface IAggregateSkeleton
    {
        BpfMap AggStats { get; }
        BpfMap AggBuckets { get; }
        BpfMap AggGeneration { get; }
        BpfMap AggOverflow { get; }
    }

    /// <summary>bpf/aggregate.h, before load: what to count, and room for it.</summary>
    internal interface IOpenAggregateSkeleton
    {
        ref Bpf.Aggregation Aggregation { get; }
        BpfOpenMap AggStats { get; }
        BpfOpenMap AggBuckets { get; }
    }
}
