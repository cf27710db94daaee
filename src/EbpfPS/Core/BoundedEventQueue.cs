using System;
using System.Collections.Generic;
using System.Threading;

namespace EbpfPS.Core
{
    /// <summary>Hands decoded events from the reader thread to the consumer (a pipeline, a job) in batches.
    /// Bounded: what does not fit is dropped and counted (<see cref="Dropped"/>) so that a slow consumer
    /// neither blocks the reader (which would let the kernel's ring buffer overflow) nor grows memory.
    /// One lock per batch, no allocation per event once the array has its capacity.</summary>
    internal sealed class BoundedEventQueue<T>
    {
        private readonly T[] _items;
        private readonly object _gate = new();
        private int _head;
        private int _count;
        private long _dropped;
        private bool _completed;

        internal BoundedEventQueue(int capacity)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
            _items = new T[capacity];
        }

        internal int Capacity => _items.Length;

        /// <summary>Events that did not fit, so far.</summary>
        internal long Dropped => Interlocked.Read(ref _dropped);

        internal int Count { get { lock (_gate) return _count; } }

        /// <summary>Free places now; only grows until the next AddRange (the consumer only takes).</summary>
        internal int Room { get { lock (_gate) return _items.Length - _count; } }

        /// <summary>Adds a batch; what does not fit is counted as dropped. Returns how many were dropped.</summary>
        internal int AddRange(List<T> batch)
        {
            if (batch.Count == 0) return 0;
            int dropped;
            lock (_gate)
            {
                int room = _items.Length - _count;
                int n = Math.Min(room, batch.Count);
                int tail = (_head + _count) % _items.Length;
                for (int i = 0; i < n; i++)
                {
                    _items[tail] = batch[i];
                    if (++tail == _items.Length) tail = 0;
                }
                _count += n;
                dropped = batch.Count - n;
                if (n > 0) Monitor.PulseAll(_gate);
            }
            if (dropped > 0) Interlocked.Add(ref _dropped, dropped);
            return dropped;
        }

        /// <summary>No more events will be added: wakes a waiting consumer.</summary>
        internal void CompleteAdding()
        {
            lock (_gate)
            {
                _completed = true;
                Monitor.PulseAll(_gate);
            }
        }

        /// <summary>Moves up to <paramref name="max"/> events to <paramref name="into"/>, waiting up to
        /// <paramref name="timeoutMs"/> for the first one (not at all once adding completed). Returns how many.</summary>
        internal int TakeAll(List<T> into, int timeoutMs, int max = int.MaxValue)
        {
            lock (_gate)
            {
                if (_count == 0 && !_completed && timeoutMs > 0) Monitor.Wait(_gate, timeoutMs);
                int n = Math.Min(_count, max);
                for (int i = 0; i < n; i++)
                {
                    into.Add(_items[_head]);
                    _items[_head] = default!;
                    if (++_head == _items.Length) _head = 0;
                }
                _count -= n;
                return n;
            }
        }
    }
}
