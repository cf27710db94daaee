using System;

namespace EbpfPS.Core.Pipeline
{
    /// <summary>Takes one record during a poll; false when there is no room for it now. The reader then stops,
    /// and that record and the ones after it wait in the kernel's buffer for the next poll (a perf buffer, which
    /// libbpf consumes before asking, keeps a copy of that one record): a consumer that falls behind makes the
    /// kernel's buffer the backlog, and nothing is dropped in user space.</summary>
    internal delegate bool RecordHandler(ReadOnlySpan<byte> record);

    /// <summary>What a ring buffer and a perf buffer have in common: records handed over during Poll.</summary>
    internal interface IRecordReader : IDisposable
    {
        /// <summary>Waits up to <paramref name="timeoutMs"/> and hands over what arrived, until the handler has no
        /// room; returns how many records it took.</summary>
        int Poll(int timeoutMs);
    }
}
