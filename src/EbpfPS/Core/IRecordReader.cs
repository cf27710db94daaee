using System;

namespace EbpfPS.Core
{
    /// <summary>What a ring buffer and a perf buffer have in common: records handed over during Poll.</summary>
    internal interface IRecordReader : IDisposable
    {
        /// <summary>Waits up to <paramref name="timeoutMs"/> and hands over what arrived; returns how many.</summary>
        int Poll(int timeoutMs);
    }
}
