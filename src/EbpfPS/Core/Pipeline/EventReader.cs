using System;
using System.Collections.Generic;
using System.Threading;

namespace EbpfPS.Core.Pipeline
{
    /// <summary>What a probe is besides its set-up: how its records become events.</summary>
    internal interface IRecordDecoder<TEvent>
    {
        /// <summary>Decodes one record; the events that are ready go to <paramref name="ready"/>.</summary>
        void Decode(ReadOnlySpan<byte> record, List<TEvent> ready);

        /// <summary>Whether a record makes an event of its own (not, e.g., the delivery that completes a
        /// signal's): what is dropped when a trace's time is up counts those.</summary>
        bool IsEvent(ReadOnlySpan<byte> record) => true;

        /// <summary>After each drain, on the decoding thread: events held back may become ready.</summary>
        void Drained(List<TEvent> ready) { }
    }

    /// <summary>Reads a probe's buffers (ring and perf buffers alike) and hands its events to the consumer as
    /// <see cref="EventDelivery"/> says. Threaded (the default): from the first Poll on, a thread of its own
    /// drains (waits for a wake-up or the drain interval, consumes the buffers, decodes through the probe's
    /// <see cref="IRecordDecoder{TEvent}"/>) and queues the events, so the consumer never waits for the
    /// kernel; Poll takes slices from the queue. The queue is the limit of what is decoded ahead:
    /// when it is full, the drain takes no more records (<see cref="HasRoom"/>) and the reader waits for the
    /// consumer, so a consumer that falls behind leaves the backlog in the kernel's buffer, compact and
    /// undecoded, and nothing is dropped here. Not threaded: the consumer's Poll drains on its own thread.
    /// The drain runs on one thread at a time either way.</summary>
    internal sealed class EventReader<TEvent> : IDisposable
    {
        /// <summary>Events one Poll takes from the queue: the consumer works through a flood in slices, so the
        /// events it has written are garbage before it takes more (taking the whole queue at once kept up to
        /// twice the queue alive).</summary>
        internal const int MaxEventsPerPoll = 4096;

        /// <summary>Decoded events the reader's drain queues at once: a drain of a large backlog reaches the
        /// consumer in parts while it goes on, and the room left is measured again after each.</summary>
        internal const int QueueEvery = 4096;

        private readonly IRecordDecoder<TEvent> _decoder;
        private readonly List<IRecordReader> _buffers = new();
        private readonly EventDelivery _delivery;
        private readonly EventQueue<TEvent>? _queue;
        private Thread? _thread;
        private volatile bool _stopping;
        private volatile Exception? _failure;
        private bool _stopped;
        private volatile int _room = int.MaxValue;
        private bool _discarding;
        private long _skipped;
        private List<TEvent>? _batch;
        private List<TEvent> _sink = new();
        private readonly List<TEvent> _ready = new();

        internal EventReader(EventDelivery delivery, IRecordDecoder<TEvent> decoder)
        {
            _delivery = delivery;
            _decoder = decoder;
            if (delivery.Threaded) _queue = new EventQueue<TEvent>(delivery.QueueCapacity);
        }

        /// <summary>Reads one more buffer, made with this reader's record handler (the first buffer is the one a
        /// drain waits on; the others are taken as they are). Before the reader starts.</summary>
        internal T Add<T>(Func<RecordHandler, T> create) where T : IRecordReader
        {
            var buffer = create(Handle);
            _buffers.Add(buffer);
            return buffer;
        }

        /// <summary>Consumes the buffers into <paramref name="ready"/>, waiting up to <paramref name="timeoutMs"/> on
        /// the first, then lets the decoder add what became ready; on the reader's thread, or the caller's once
        /// none runs (at the end of a trace).</summary>
        internal void Drain(int timeoutMs, List<TEvent> ready)
        {
            _sink = ready;
            Consume(timeoutMs);
            _decoder.Drained(ready);
        }

        private void Consume(int timeoutMs)
        {
            if (_buffers.Count == 0) Thread.Sleep(timeoutMs); // an object that works through its maps only
            for (int i = 0; i < _buffers.Count; i++) _buffers[i].Poll(i == 0 ? timeoutMs : 0);
        }

        /// <summary>One record, on the decoding thread; false leaves it with its buffer while the queue is full.
        /// Once discarding, records are skipped undecoded and counted when they would have made an event.</summary>
        private bool Handle(ReadOnlySpan<byte> record)
        {
            if (_discarding)
            {
                if (_decoder.IsEvent(record)) _skipped++;
                return true;
            }
            if (!HasRoom(_sink)) return false;
            _decoder.Decode(record, _sink);
            return true;
        }

        /// <summary>Whether a drain that has decoded into <paramref name="sink"/> so far may take one more
        /// record; if not, the record stays with the buffer for a later drain. Always when the consumer drains
        /// itself. On the reader's own batch, queues it first once it has <see cref="QueueEvery"/> events.</summary>
        private bool HasRoom(List<TEvent> sink)
        {
            if (ReferenceEquals(sink, _batch) && sink.Count >= QueueEvery) QueueBatch(sink);
            return sink.Count < _room;
        }

        /// <summary>Events decoded and waiting for the consumer.</summary>
        internal int Queued => _queue?.Count ?? 0;

        /// <summary>Whether the thread runs now.</summary>
        internal bool Running => _thread is { IsAlive: true };

        /// <summary>The events that are ready, waiting up to <paramref name="timeoutMs"/> for the first, in a list of
        /// the reader's that the next Poll or Complete refills (a source's <see cref="IEventSource{TEvent}.Poll"/>).</summary>
        internal IReadOnlyList<TEvent> Poll(int timeoutMs)
        {
            _ready.Clear();
            if (_queue is null || _stopped)
            {
                Drain(timeoutMs, _ready);
                return _ready;
            }
            Start();
            if (_failure is { } failure) throw Rethrown(failure);
            _queue.TakeAll(_ready, timeoutMs, MaxEventsPerPoll);
            return _ready;
        }

        /// <summary>Starts the thread (the first Poll does). Not in the constructor: a probe finishes its own
        /// construction first.</summary>
        internal void Start()
        {
            if (_thread is not null || _queue is null || _stopped) return;
            _thread = new Thread(Run) { IsBackground = true, Name = "EbpfPS event reader" };
            _thread.Start();
        }

        /// <summary>Stops the thread and returns everything still queued or in the buffers, in the list Poll uses;
        /// later polls drain on the caller's thread.</summary>
        internal List<TEvent> Complete()
        {
            _ready.Clear();
            Join();
            _queue?.TakeAll(_ready, 0);
            if (_failure is { } failure) throw Rethrown(failure);
            Drain(0, _ready);
            return _ready;
        }

        /// <summary>The trace's time is up with the consumer behind: stops the thread, drops what is queued and
        /// consumes the buffers without decoding. Returns the events dropped: the queued ones and the records skipped.</summary>
        internal long Discard()
        {
            Join();
            long dropped = _queue?.Clear() ?? 0;
            _discarding = true;
            _room = int.MaxValue;
            Consume(0);
            return dropped + _skipped;
        }

        private void Run()
        {
            var batch = _batch = new List<TEvent>(QueueEvery);
            try
            {
                while (!_stopping)
                {
                    _room = _queue!.Room;
                    if (_room > 0) Drain(_delivery.DrainIntervalMs, batch);
                    else _queue.WaitForRoom(_delivery.DrainIntervalMs); // the records wait in the kernel's buffer
                    QueueBatch(batch);
                }
            }
            catch (Exception e)
            {
                _failure = e;
            }
            finally
            {
                _room = int.MaxValue; // from now on the consumer drains, into its own list
                _queue!.CompleteAdding();
            }
        }

        private void QueueBatch(List<TEvent> batch)
        {
            if (batch.Count == 0) return;
            _queue!.AddRange(batch);
            batch.Clear();
            _room = _queue.Room;
        }

        /// <summary>Stops the thread and waits for it (at most a drain interval and a batch).</summary>
        private void Join()
        {
            _stopping = true;
            if (_thread is { } thread && thread != Thread.CurrentThread) thread.Join();
            _stopped = true;
        }

        private static BpfException Rethrown(Exception failure) => failure as BpfException
            ?? new BpfException(BpfErrorKind.ReadFailed, $"Reading the event buffers failed: {failure.Message}", inner: failure);

        /// <summary>Stops and joins the thread, then frees the buffers.</summary>
        public void Dispose()
        {
            Join();
            foreach (var buffer in _buffers) buffer.Dispose();
        }
    }
}
