using System;
using System.Collections.Generic;
using System.Threading;

namespace EbpfPS.Core
{
    /// <summary>Hands a probe's events to its consumer as <see cref="EventDelivery"/> says. Threaded (the
    /// default): from the first Poll on, a thread of its own runs the probe's drain (wait for a wake-up or
    /// the drain interval, consume the buffers, decode) and queues the events in a bounded queue, so a slow
    /// consumer never keeps the buffers from being read; Poll takes slices from the queue. Not threaded: the
    /// consumer's Poll drains on its own thread. The drain runs on one thread at a time either way.</summary>
    internal sealed class EventReader<TEvent> : IDisposable
    {
        /// <summary>Events one Poll takes from the queue: the consumer works through a flood in slices, so the
        /// events it has written are garbage before it takes more (taking the whole queue at once kept up to
        /// twice the queue alive).</summary>
        internal const int MaxEventsPerPoll = 4096;

        /// <summary>Decoded events the reader's drain queues at once: a drain of a large backlog (a perf buffer
        /// of 2 MiB per CPU holds 65,536 small records) reaches the consumer in parts while it goes on, and
        /// the room left is measured again after each.</summary>
        internal const int QueueEvery = 4096;

        private readonly Action<int, List<TEvent>> _drain;
        private readonly EventDelivery _delivery;
        private readonly BoundedEventQueue<TEvent>? _queue;
        private Thread? _thread;
        private volatile bool _stopping;
        private volatile Exception? _failure;
        private bool _stopped;
        private volatile int _room = int.MaxValue;
        private long _droppedUndecoded;
        private List<TEvent>? _batch;

        /// <param name="drain">Waits up to the given milliseconds for the buffers, consumes them and adds the
        /// decoded events to the list.</param>
        internal EventReader(EventDelivery delivery, Action<int, List<TEvent>> drain)
        {
            _delivery = delivery;
            _drain = drain;
            if (delivery.Threaded) _queue = new BoundedEventQueue<TEvent>(delivery.QueueCapacity);
        }

        /// <summary>Whether a drain that has decoded into <paramref name="sink"/> so far may decode one more
        /// record; if not, it should drop the record undecoded. No limit when the consumer drains itself. On the
        /// reader's own batch, queues it first once it has <see cref="QueueEvery"/> events.</summary>
        private bool HasRoom(List<TEvent> sink)
        {
            if (ReferenceEquals(sink, _batch) && sink.Count >= QueueEvery) QueueBatch(sink);
            return sink.Count < _room;
        }

        /// <summary>Events dropped because the consumer did not keep up: the queue's and those dropped undecoded.</summary>
        internal long Dropped => (_queue?.Dropped ?? 0) + Interlocked.Read(ref _droppedUndecoded);

        /// <summary>Events decoded and waiting for the consumer.</summary>
        internal int Queued => _queue?.Count ?? 0;

        /// <summary>Whether the thread runs now.</summary>
        internal bool Running => _thread is { IsAlive: true };

        /// <summary>Whether the drain should decode its next record into <paramref name="sink"/>: false (and
        /// counted as dropped) when the queue has no room for it and <paramref name="mayDrop"/> allows dropping
        /// it undecoded, which spares the decoding to an overloaded consumer.</summary>
        internal bool Admit(List<TEvent> sink, bool mayDrop = true)
        {
            if (HasRoom(sink) || !mayDrop) return true;
            Interlocked.Increment(ref _droppedUndecoded);
            return false;
        }

        /// <summary>Adds the events that are ready, waiting up to <paramref name="timeoutMs"/> for the first.</summary>
        internal void Poll(int timeoutMs, List<TEvent> ready)
        {
            if (_queue is null || _stopped)
            {
                _drain(timeoutMs, ready);
                return;
            }
            Start();
            if (_failure is { } failure) throw Rethrown(failure);
            _queue.TakeAll(ready, timeoutMs, MaxEventsPerPoll);
        }

        /// <summary>Starts the thread (the first Poll does). Not in the constructor: a probe finishes its own
        /// construction first.</summary>
        internal void Start()
        {
            if (_thread is not null || _queue is null || _stopped) return;
            _thread = new Thread(Run) { IsBackground = true, Name = "EbpfPS event reader" };
            _thread.Start();
        }

        /// <summary>Stops the thread and adds everything still queued; later polls drain on the caller's thread.</summary>
        internal void Stop(List<TEvent> ready)
        {
            Join();
            _queue?.TakeAll(ready, 0);
            if (_failure is { } failure) throw Rethrown(failure);
        }

        private void Run()
        {
            var batch = _batch = new List<TEvent>(QueueEvery);
            try
            {
                while (!_stopping)
                {
                    _room = _queue!.Room;
                    _drain(_delivery.DrainIntervalMs, batch);
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

        /// <summary>Stops and joins the thread: the buffers it reads may be freed afterwards.</summary>
        public void Dispose() => Join();
    }
}
