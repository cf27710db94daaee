using EbpfPS.Bpf;

namespace EbpfPS.Probes.Aggregation
{
    /// <summary>The keys of the task an event happened in, which every probe's record has (its pid, tid and comm,
    /// see <see cref="ITaskRecord"/>) or the kernel tells when the event is counted (user, cgroup, CPU).</summary>
    internal static class TaskKeys
    {
        internal static readonly string[] Names = { "ProcessId", "ThreadId", "Command", "UserId", "Cpu", "Cgroup" };

        /// <summary>The stacks' keys, of the records that take stacks.</summary>
        internal static readonly string[] StackNames = { "KernelStack", "UserStack" };

        /// <summary>The task key of that name, read from a <typeparamref name="TRecord"/>, or its stack's (with
        /// <paramref name="stacks"/>); null for another name.</summary>
        internal static AggregateField? Key<TRecord>(string name, CgroupNames cgroups, StackKeys? stacks = null) where TRecord : ITaskRecord =>
            stacks?.Key(name, TRecord.Task) ?? name.ToLowerInvariant() switch
        {
            "processid" => new("ProcessId", AggregateField.Field(TRecord.Task.PidOffset, TRecord.Task.PidBytes), (w, _) => (int)w),
            "threadid" => new("ThreadId", AggregateField.Field(TRecord.Task.TidOffset, TRecord.Task.TidBytes), (w, _) => (int)w),
            "command" => new("Command", AggregateField.Field(TRecord.Task.CommOffset, TRecord.Task.CommBytes), AggregateField.Comm),
            "userid" => new("UserId", AggregateField.Special(AggSource.Uid), (w, _) => (int)w),
            "cpu" => new("Cpu", AggregateField.Special(AggSource.Cpu), (w, _) => (int)w),
            "cgroup" => new("Cgroup", AggregateField.Special(AggSource.Cgroup), (w, _) => cgroups.Of(w)),
            _ => null,
        };
    }
}
