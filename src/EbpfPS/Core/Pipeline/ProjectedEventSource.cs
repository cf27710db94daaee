using System.Collections.Generic;
using System;
using EbpfPS.Core.Objects;
using EbpfPS.Interop;

namespace EbpfPS.Core.Pipeline
{
    /// <summary>An event source whose events are turned into another type as they are handed over, so that
    /// one cmdlet can stream probes of different event types.</summary>
    internal sealed class ProjectedEventSource<TIn, TOut> : IEventSource<TOut>
    {
        private readonly IEventSource<TIn> _inner;
        private readonly Func<TIn, TOut> _project;
        private readonly List<TIn> _buffer = new();

        internal ProjectedEventSource(IEventSource<TIn> inner, Func<TIn, TOut> project)
        {
            _inner = inner;
            _project = project;
        }

        public ulong Lost => _inner.Lost;
        public IReadOnlyList<LibbpfLog.Line> Log => _inner.Log;
        public BpfObject? Object => _inner.Object;

        public void Poll(int timeoutMs, List<TOut> ready) => Hand(ready, b => _inner.Poll(timeoutMs, b));
        public void Complete(List<TOut> ready) => Hand(ready, _inner.Complete);
        public long Discard() => _inner.Discard();

        private void Hand(List<TOut> ready, Action<List<TIn>> fill)
        {
            fill(_buffer);
            foreach (var item in _buffer) ready.Add(_project(item));
            _buffer.Clear();
        }

        public void Dispose() => _inner.Dispose();
    }
}
