using System.Runtime.InteropServices;
using EbpfPS.Bpf;

namespace EbpfPS.Probes.Aggregation
{
    /// <summary>The keys of the task an event happened in, which every probe's record has (its Pid, Tid and 16-byte
    /// Comm fields) or the kernel tells when the event is counted (user, cgroup, CPU).</summary>
    internal static class TaskKeys
    {
        internal static readonly string[] Names = { "ProcessId", "ThreadId", "Command", "UserId", "Cpu", "Cgroup" };

        /// <summary>The task key of that name, read from a <typeparamref name="TRecord"/>; null for another name.</summary>
        internal static AggregateField? Key<TRecord>(string name, CgroupNames cgroups) where TRecord : struct => name.ToLowerInvariant() switch
        {
            "processid" => new("ProcessId", AggregateField.Field(Offset<TRecord>("Pid"), 4), (w, _) => (int)w),
            "threadid" => new("ThreadId", AggregateField.Field(Offset<TRecord>("Tid"), 4), (w, _) => (int)w),
            "command" => new("Command", AggregateField.Field(Offset<TRecord>("Comm"), 16), AggregateField.Comm),
            "userid" => new("UserId", AggregateField.Special(AggSource.Uid), (w, _) => (int)w),
            "cpu" => new("Cpu", AggregateField.Special(AggSource.Cpu), (w, _) => (int)w),
            "cgroup" => new("Cgroup", AggregateField.Special(AggSource.Cgroup), (w, _) => cgroups.Of(w)),
            _ => null,
        };

        internal static int Offset<TRecord>(string field) where TRecord : struct => (int)Marshal.OffsetOf<TRecord>(field);
    }
}
