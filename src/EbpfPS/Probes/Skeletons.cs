using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Probes;

namespace EbpfPS.Bpf
{
    // The roles of the generated skeletons (obj/bpf/Skeletons.g.cs): what objects that include the same
    // header have in common, so that one piece of C# serves them all. The compiler checks that each skeleton
    // has what its roles need.

    internal sealed partial class ExecSkeleton : IRingBufferSkeleton, ITaskMatchSkeleton, Probes.Aggregation.IAggregateSkeleton { }

    internal sealed partial class KfuncSkeleton : IRingBufferSkeleton, ITaskMatchSkeleton, Probes.Aggregation.IAggregateSkeleton { }

    internal sealed partial class SignalSkeleton : IRingBufferSkeleton { }

    internal sealed partial class SyscallSkeleton : IRingBufferSkeleton, ITaskMatchSkeleton, Probes.Aggregation.IAggregateSkeleton { }

    internal sealed partial class TracepointSkeleton : IRingBufferSkeleton, ITaskMatchSkeleton, Probes.Aggregation.IAggregateSkeleton { }
}

namespace EbpfPS.Probes
{
    /// <summary>bpf/common.h: the ring of records, the count of those that did not fit, the wake-up threshold.</summary>
    internal interface IRingBufferSkeleton
    {
        BpfObject Object { get; }
        BpfMap Events { get; }
        BpfMap Lost { get; }
        ref ulong WakeupBytes { get; }
        void Load();
    }

    /// <summary>bpf/task_match.h: who a trace is limited to (see <see cref="TaskFilter"/>).</summary>
    internal interface ITaskMatchSkeleton
    {
        BpfObject Object { get; }
        ref Bpf.PidSet Pids { get; }
        ref Bpf.TaskMatch TaskMatch { get; }
        ref bool IncludeChildren { get; }
        BpfProgram Fork { get; }
        BpfMap Children { get; }
        BpfMap CgroupFilter { get; }
    }
}

namespace EbpfPS.Probes.Aggregation
{
    /// <summary>bpf/aggregate.h: counting in the kernel instead of sending records.</summary>
    internal interface IAggregateSkeleton
    {
        ref Bpf.Aggregation Aggregation { get; }
        BpfMap AggStats { get; }
        BpfMap AggBuckets { get; }
        BpfMap AggGeneration { get; }
        BpfMap AggOverflow { get; }
    }
}
