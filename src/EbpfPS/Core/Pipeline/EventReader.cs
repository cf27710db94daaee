using System;
using System.Collections.Generic;
using System.Threading;

namespace EbpfPS.Core.Pipeline
{
    /// <summary>Hands a probe's events to its consumer as <see cref="EventDelivery"/> says. Threaded (the
    /// default): from the first Poll on, a thread of its own runs the probe's drain (wait for a wake-up or
    /// the drain interval, consume the buffers, decode) and queues the events, so the consumer never waits
    /// for the kernel; Poll takes slices from the queue. The queue is the limit of what is decoded ahead:
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

        private readonly Action<int, List<TEvent>> _drain;
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

        /// <param name="drain">Waits up to the given milliseconds for the buffers, consumes them while
        /// <see cref="HasRoom"/> says so and adds the decoded events to the list.</param>
        internal EventReader(EventDelivery delivery, Action<int, List<TEvent>> drain)
        {
            _delivery = delivery;
            _drain = drain;
            if (delivery.Threaded) _queue = new EventQueue<TEvent>(delivery.QueueCapacity);
        }

        /// <summary>Whether a drain that has decoded into <paramref name="sink"/> so far may take one more
        /// record; if not, the record stays with the buffer for a later drain. Always when the consumer drains
        /// itself. On the reader's own batch, queues it first once it has <see cref="QueueEvery"/> events.</summary>
        internal bool HasRoom(List<TEvent> sink)
        {
            if (ReferenceEquals(sink, _batch) && sink.Count >= QueueEvery) QueueBatch(sink);
            return sink.Count < _room;
        }

        /// <summary>Events decoded and waiting for the consumer.</summary>
        internal int Queued => _queue?.Count ?? 0;

        /// <summary>Whether the thread runs now.</summary>
        internal bool Running => _thread is { IsAlive: true };

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

        /// <summary>The trace's time is up with the consumer behind: stops the thread, drops what is queued and
        /// lets <paramref name="drain"/> consume the buffers without decoding (record handlers ask
        /// <see cref="Discarding"/> first). Returns the events dropped: the queued ones and the records skipped.</summary>
        internal long Discard(Action drain)
        {
            Join();
            long dropped = _queue?.Clear() ?? 0;
            _discarding = true;
            _room = int.MaxValue;
            drain();
            return dropped + _skipped;
        }

        /// <summary>Whether record handlers skip their records rather than decode them: once
        /// <see cref="Discard"/> runs. They count those that are events (<see cref="Skipped"/>).</summary>
        internal bool Discarding => _discarding;

        /// <summary>A record skipped while discarding, counted when it would have made an event.</summary>
        internal void Skipped(bool isEvent)
        {
            if (isEvent) _skipped++;
        }

        private void Run()
        {
            var batch = _batch = new List<TEvent>(QueueEvery);
            try
            {
                while (!_stopping)
                {
                    _room = _queue!.Room;
                    if (_room > 0) _drain(_delivery.DrainIntervalMs, batch);
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

        /// <summary>Stops and joins the thread: the buffers it reads may be freed afterwards.</summary>
        public void Dispose() => Join();
    }
}
