using System.Collections.Generic;
using System;
using EbpfPS.Core.Objects;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Probes
{
    /// <summary>A probe whose kernel side writes records to a ring buffer map named "events" and counts
    /// what did not fit in "lost" (bpf/common.h). Derived probes say how to configure, attach and decode.
    /// <para>Batched delivery (<see cref="EventDelivery.Batched"/>): from the first Poll on, the reader's
    /// thread (<see cref="EventReader{TEvent}"/>) waits for a wake-up (the ring past its threshold) or the
    /// drain interval, consumes every record, decodes (<see cref="OnRecord"/>, <see cref="OnDrained"/> run
    /// on that thread only) and queues the events; Poll takes them from the queue. Complete stops the reader
    /// and finishes on the caller's thread; Dispose stops and joins the reader before anything is freed.</para></summary>
    internal abstract class RingBufferProbe<TEvent, TOpen, TSkeleton> : IEventSource<TEvent>, IRecordDecoder<TEvent>
        where TOpen : BpfOpenSkeleton<TSkeleton>, IOpenRingBufferSkeleton, new()
        where TSkeleton : BpfSkeleton, IRingBufferSkeleton
    {
        private readonly TSkeleton _skeleton;
        private readonly BpfMap? _lost;
        private readonly EventDelivery _delivery;
        private readonly EventReader<TEvent> _reader;

        /// <typeparam name="TOpen">The embedded object (bpf/NAME.bpf.c) opened, through its generated skeleton.</typeparam>
        /// <typeparam name="TSkeleton">The same object loaded.</typeparam>
        /// <param name="beforeLoad">Sets globals and map sizes.</param>
        /// <param name="afterLoad">Fills maps (e.g. process filters) before anything is attached.</param>
        /// <param name="attach">Attaches the programs; by default each where its SEC() says.</param>
        /// <param name="delivery">Batched by default; its BufferBytes is the size of the ring.</param>
        /// <param name="progress">Cancels between the steps (and between attachments, where
        /// <paramref name="attach"/> asks it); everything done so far is undone.</param>
        protected RingBufferProbe(Action<TOpen>? beforeLoad,
            Action<TSkeleton>? afterLoad = null, Action<TSkeleton>? attach = null, EventDelivery? delivery = null,
            AttachProgress? progress = null)
        {
            progress ??= AttachProgress.None;
            KernelSupport.DemandTracing();
            _delivery = delivery ?? EventDelivery.Batched;
            _reader = new EventReader<TEvent>(_delivery, this);
            using (var open = new TOpen()) // frees the object if it is not loaded
            {
                open.Events.SetMaxEntries(_delivery.BufferBytes);
                open.WakeupBytes = _delivery.WakeupBytes(_delivery.BufferBytes);
                beforeLoad?.Invoke(open);
                progress.ThrowIfCancelled();
                _skeleton = open.Load();
            }
            try
            {
                progress.ThrowIfCancelled();
                afterLoad?.Invoke(_skeleton);
                _lost = _skeleton.Lost;
                _reader.Add(handler => new RingBuffer(_skeleton.Events, handler, _delivery.RingWindowBytes));
                if (attach is null) _skeleton.Object.AttachAll(progress);
                else attach(_skeleton);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        protected KernelClock Clock { get; } = new();

        /// <summary>Task names decoded once per name, not per event (decoding runs on one thread at a time).</summary>
        protected CommCache Comms { get; } = new();

        public BpfObject? Object => _skeleton.Object;

        /// <summary>The loaded object, for what the probe reads besides its ring (Measure-BpfTrace's counts).</summary>
        internal TSkeleton Skeleton => _skeleton;

        /// <summary>Records the kernel could not put into the ring because it was full: the only loss there is
        /// (a consumer that falls behind leaves the backlog in the ring).</summary>
        public ulong Lost => _lost!.SumPerCpu(0);

        internal EventDelivery Delivery => _delivery;

        /// <summary>Events decoded and waiting for the consumer (for tests).</summary>
        internal int Queued => _reader.Queued;

        /// <summary>Whether the reader thread runs now (for tests).</summary>
        internal bool ReaderRunning => _reader.Running;

        public IReadOnlyList<LibbpfLog.Line> Log => _skeleton.Object.Log;

        /// <summary>Decodes one record; events that are ready go to <paramref name="ready"/>.</summary>
        protected abstract void OnRecord(ReadOnlySpan<byte> record, List<TEvent> ready);

        /// <summary>Records through the decoder as one drain of the ring would take them, without the ring
        /// (bench/Decoders measures it).</summary>
        internal void Decode(IReadOnlyList<byte[]> records, List<TEvent> ready)
        {
            foreach (var record in records) OnRecord(record, ready);
            OnDrained(ready);
        }

        /// <summary>After each drain, on the thread that decodes: events held back may become ready.</summary>
        protected virtual void OnDrained(List<TEvent> ready) { }

        /// <summary>At the end of the trace, on the caller's thread once the reader has stopped: adds what is
        /// still held back. <see cref="Drain"/> may be used to wait for more records.</summary>
        protected virtual void OnComplete(List<TEvent> ready) { }

        public IReadOnlyList<TEvent> Poll(int timeoutMs) => _reader.Poll(timeoutMs);

        public IReadOnlyList<TEvent> Complete()
        {
            var ready = _reader.Complete();
            OnComplete(ready);
            return ready;
        }

        public long Discard() => _reader.Discard() + OnDiscard();

        /// <summary>Whether a record makes an event of its own (not, e.g., the delivery that completes a signal's):
        /// what is dropped when the trace's time is up counts those.</summary>
        protected virtual bool IsEvent(ReadOnlySpan<byte> record) => true;

        /// <summary>When the trace's time is up with the consumer behind: drops what is held back, returns how many.</summary>
        protected virtual int OnDiscard() => 0;

        /// <summary>Starts the reader thread (the first Poll does; tests start it before they poll).</summary>
        internal void StartReader() => _reader.Start();

        /// <summary>Consumes the ring into <paramref name="ready"/> on the caller's thread, once the reader has
        /// stopped (<see cref="OnComplete"/>).</summary>
        protected void Drain(int timeoutMs, List<TEvent> ready) => _reader.Drain(timeoutMs, ready);

        void IRecordDecoder<TEvent>.Decode(ReadOnlySpan<byte> record, List<TEvent> ready) => OnRecord(record, ready);
        bool IRecordDecoder<TEvent>.IsEvent(ReadOnlySpan<byte> record) => IsEvent(record);
        void IRecordDecoder<TEvent>.Drained(List<TEvent> ready) => OnDrained(ready);

        public void Dispose()
        {
            _reader.Dispose(); // stops reading before the ring's memory goes with the object
            _skeleton?.Dispose();
        }
    }
}
