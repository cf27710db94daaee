using System;
using System.Collections.Generic;
using System.Threading;

namespace EbpfPS.Core.Pipeline
{
    /// <summary>Hands decoded events from the reader thread to the consumer (a pipeline, a job) in batches.
    /// Its capacity is how far the reader decodes ahead: the reader asks for <see cref="Room"/> before it
    /// takes records from the kernel and waits (<see cref="WaitForRoom"/>) while there is none. It never drops:
    /// a batch that carries it past its capacity (a record can complete several events) is kept whole.
    /// One lock per batch, no allocation per event once the array has its size.</summary>
    internal sealed class EventQueue<T>
    {
        private readonly int _capacity;
        private readonly object _gate = new();
        private T[] _items;
        private int _head;
        private int _count;
        private bool _completed;

        internal EventQueue(int capacity)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
            _capacity = capacity;
            _items = new T[capacity];
        }

        internal int Count { get { lock (_gate) return _count; } }

        /// <summary>Events the reader may still add before the queue is at its capacity; only grows until the
        /// next AddRange (the consumer only takes).</summary>
        internal int Room { get { lock (_gate) return Math.Max(0, _capacity - _count); } }

        /// <summary>Adds a batch, all of it.</summary>
        internal void AddRange(List<T> batch)
        {
            if (batch.Count == 0) return;
            lock (_gate)
            {
                if (_count + batch.Count > _items.Length) Grow(_count + batch.Count);
                int tail = (_head + _count) % _items.Length;
                foreach (var item in batch)
                {
                    _items[tail] = item;
                    if (++tail == _items.Length) tail = 0;
                }
                _count += batch.Count;
                Monitor.PulseAll(_gate);
            }
        }

        /// <summary>Waits up to <paramref name="timeoutMs"/> until the consumer has made room.</summary>
        internal void WaitForRoom(int timeoutMs)
        {
            lock (_gate)
            {
                if (_count >= _capacity && !_completed) Monitor.Wait(_gate, timeoutMs);
            }
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
                if (n > 0) Monitor.PulseAll(_gate); // a reader waiting for room
                return n;
            }
        }

        /// <summary>Drops every queued event (the trace's time is up); returns how many.</summary>
        internal int Clear()
        {
            lock (_gate)
            {
                int n = _count;
                Array.Clear(_items);
                _head = _count = 0;
                Monitor.PulseAll(_gate);
                return n;
            }
        }

        private void Grow(int needed)
        {
            var items = new T[Math.Max(needed, _items.Length * 2)];
            for (int i = 0; i < _count; i++) items[i] = _items[(_head + i) % _items.Length];
            _items = items;
            _head = 0;
        }
    }
}
