using System.Collections.Generic;
using System;
using EbpfPS.Core.Objects;
using EbpfPS.Interop;

namespace EbpfPS.Core.Pipeline
{
    /// <summary>A loaded and attached probe that yields events. Poll and Complete run on the consuming
    /// thread; Dispose detaches everything from the kernel. Covariant, so that a source of exec events is a
    /// source of objects to a consumer that takes any (Start-BpfTrace, a background job).</summary>
    internal interface IEventSource<out TEvent> : IDisposable
    {
        /// <summary>Waits up to <paramref name="timeoutMs"/> and returns the events that are ready, in a list of
        /// the source's own that the next Poll or Complete refills: take them before.</summary>
        IReadOnlyList<TEvent> Poll(int timeoutMs);

        /// <summary>The trace ends: returns what is still held back (e.g. signals awaiting delivery), in the
        /// list Poll uses.</summary>
        IReadOnlyList<TEvent> Complete();

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
