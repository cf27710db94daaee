using System;
using EbpfPS.Core.Objects;
using EbpfPS.Core.Pipeline;
using EbpfPS.Probes.Aggregation;

namespace EbpfPS.Probes
{
    /// <summary>A probe of what tasks do (syscalls, execs, tracepoints, kernel functions), whose object includes
    /// bpf/task_match.h and bpf/aggregate.h: the task filter and Measure-BpfTrace's counting are set up here, once
    /// for all of them, around what the derived probe sets up itself.</summary>
    internal abstract class TaskProbe<TEvent, TOpen, TSkeleton> : RingBufferProbe<TEvent, TOpen, TSkeleton>
        where TOpen : BpfOpenSkeleton<TSkeleton>, IOpenRingBufferSkeleton, IOpenTaskMatchSkeleton, IOpenAggregateSkeleton, new()
        where TSkeleton : BpfSkeleton, IRingBufferSkeleton, ITaskMatchSkeleton, IAggregateSkeleton
    {
        /// <param name="filter">Which tasks are traced, decided in the kernel.</param>
        /// <param name="measure">Counts in the kernel as the plan says (Measure-BpfTrace) instead of sending records.</param>
        /// <param name="excludeSelf">With no process ids, leaves this process out (see <see cref="TaskFilter.Configure"/>).</param>
        /// <param name="beforeLoad">The probe's own globals and map sizes, after the filter's and the plan's.</param>
        /// <param name="afterLoad">The probe's own maps, after the filter's.</param>
        protected TaskProbe(TaskFilter filter, AggregationPlan? measure, bool excludeSelf,
            Action<TOpen>? beforeLoad = null, Action<TSkeleton>? afterLoad = null, Action<TSkeleton>? attach = null,
            EventDelivery? delivery = null, AttachProgress? progress = null)
            : base(
                beforeLoad: skeleton =>
                {
                    filter.Configure(skeleton, excludeSelf);
                    measure?.Configure(skeleton);
                    beforeLoad?.Invoke(skeleton);
                },
                afterLoad: skeleton =>
                {
                    filter.Fill(skeleton);
                    afterLoad?.Invoke(skeleton);
                },
                attach, delivery, progress)
        {
        }
    }
}
