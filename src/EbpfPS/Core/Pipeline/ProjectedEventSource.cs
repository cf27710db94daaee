using System.Collections.Generic;
using System;
using EbpfPS.Core.Objects;
using EbpfPS.Interop;

namespace EbpfPS.Core.Pipeline
{
    /// <summary>An event source whose events are turned into others as they are handed over: Start-BpfTrace's
    /// tracepoint events with their fields as properties, a user object's records as PSObjects.</summary>
    internal sealed class ProjectedEventSource<TIn, TOut> : IEventSource<TOut>
    {
        private readonly IEventSource<TIn> _inner;
        private readonly Func<TIn, TOut> _project;
        private readonly List<TOut> _ready = new();

        internal ProjectedEventSource(IEventSource<TIn> inner, Func<TIn, TOut> project)
        {
            _inner = inner;
            _project = project;
        }

        public ulong Lost => _inner.Lost;
        public IReadOnlyList<LibbpfLog.Line> Log => _inner.Log;
        public BpfObject? Object => _inner.Object;

        public IReadOnlyList<TOut> Poll(int timeoutMs) => Project(_inner.Poll(timeoutMs));
        public IReadOnlyList<TOut> Complete() => Project(_inner.Complete());
        public long Discard() => _inner.Discard();

        private List<TOut> Project(IReadOnlyList<TIn> events)
        {
            _ready.Clear();
            foreach (var item in events) _ready.Add(_project(item));
            return _ready;
        }

        public void Dispose() => _inner.Dispose();
    }
}
