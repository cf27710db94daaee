using System.Collections.Generic;
using System;
using EbpfPS.Core.Objects;
using EbpfPS.Interop;

namespace EbpfPS.Core.Pipeline
{
    /// <summary>A loaded and attached probe that yields events. Poll and Complete run on the consuming
    /// thread; Dispose detaches everything from the kernel.</summary>
    internal interface IEventSource<TEvent> : IDisposable
    {
        /// <summary>Waits up to <paramref name="timeoutMs"/> and adds the events that are ready.</summary>
        void Poll(int timeoutMs, List<TEvent> ready);

        /// <summary>The trace ends: adds what is still held back (e.g. signals awaiting delivery).</summary>
        void Complete(List<TEvent> ready);

        /// <summary>The trace's time is up with the consumer behind: drops what is decoded or waiting in the
        /// kernel's buffers without decoding it, and returns how many events (records) that was.</summary>
        long Discard() => 0;

        /// <summary>Events the kernel could not hand over so far (buffer full).</summary>
        ulong Lost { get; }

        /// <summary>libbpf's log of loading and attaching.</summary>
        IReadOnlyList<LibbpfLog.Line> Log { get; }

        /// <summary>The loaded object whose maps can be read while the source runs, if there is one.</summary>
        BpfObject? Object => null;
    }
}
