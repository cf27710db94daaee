using System;
using System.Collections.Generic;

namespace EbpfPS.Probes.Signals
{
    /// <summary>Pairs each queued signal with its delivery. An event leaves once it is resolved: at once
    /// when the kernel did not queue it, when its target takes it, when its target exits, or when
    /// <see cref="DeliveryWait"/> has passed (then it never reached the target while we watched).</summary>
    internal sealed class SignalCorrelator
    {
        private sealed class Pending
        {
            internal required BpfSignalEvent Event;
            internal required ulong GeneratedNs;
            internal bool Resolved;
        }

        private readonly Dictionary<(int Pid, int Signal), Queue<Pending>> _byTarget = new();
        private readonly Queue<Pending> _byAge = new();

        internal SignalCorrelator(TimeSpan deliveryWait) => DeliveryWait = deliveryWait;

        internal TimeSpan DeliveryWait { get; }

        /// <summary>Queued signals still waiting for their delivery.</summary>
        internal int PendingCount { get { int n = 0; foreach (var q in _byTarget.Values) n += q.Count; return n; } }

        internal void Generated(BpfSignalEvent signal, ulong timestampNs, bool queued, ICollection<BpfSignalEvent> ready)
        {
            if (!queued)
            {
                ready.Add(signal);
                return;
            }
            var pending = new Pending { Event = signal, GeneratedNs = timestampNs };
            var key = (signal.TargetProcessId, signal.Signal);
            if (!_byTarget.TryGetValue(key, out var queue)) _byTarget[key] = queue = new Queue<Pending>();
            queue.Enqueue(pending);
            _byAge.Enqueue(pending);
        }

        /// <summary>The target took the signal: the oldest pending one of that process and number
        /// (real-time signals are delivered in the order they were queued).</summary>
        internal void Delivered(int pid, int signal, ulong timestampNs, DateTime deliveredAt, ICollection<BpfSignalEvent> ready)
        {
            if (!_byTarget.TryGetValue((pid, signal), out var queue)) return;
            var pending = queue.Dequeue();
            if (queue.Count == 0) _byTarget.Remove((pid, signal));
            pending.Event.DeliveredAt = deliveredAt;
            pending.Event.DeliveryLatency = TimeSpan.FromTicks((long)(timestampNs - Math.Min(timestampNs, pending.GeneratedNs)) / 100);
            Resolve(pending, ready);
        }

        /// <summary>The target process ended: what it had not taken, it never will.</summary>
        internal void Exited(int pid, ICollection<BpfSignalEvent> ready)
        {
            var keys = new List<(int, int)>();
            foreach (var (key, queue) in _byTarget)
            {
                if (key.Pid != pid) continue;
                keys.Add(key);
                foreach (var pending in queue) Resolve(pending, ready);
            }
            foreach (var key in keys) _byTarget.Remove(key);
        }

        /// <summary>Releases what has waited longer than DeliveryWait at monotonic time <paramref name="nowNs"/>.</summary>
        internal void Expire(ulong nowNs, ICollection<BpfSignalEvent> ready)
        {
            ulong wait = (ulong)DeliveryWait.Ticks * 100;
            while (_byAge.TryPeek(out var oldest) && (oldest.Resolved || nowNs - Math.Min(nowNs, oldest.GeneratedNs) >= wait))
            {
                _byAge.Dequeue();
                if (oldest.Resolved) continue;
                Forget(oldest);
                Resolve(oldest, ready);
            }
        }

        /// <summary>End of the trace: everything still pending leaves, undelivered.</summary>
        internal void Flush(ICollection<BpfSignalEvent> ready) => Expire(ulong.MaxValue, ready);

        private void Resolve(Pending pending, ICollection<BpfSignalEvent> ready)
        {
            if (pending.Resolved) return;
            pending.Resolved = true;
            ready.Add(pending.Event);
        }

        private void Forget(Pending pending)
        {
            var key = (pending.Event.TargetProcessId, pending.Event.Signal);
            if (!_byTarget.TryGetValue(key, out var queue)) return;
            var rest = new Queue<Pending>(queue.Count);
            foreach (var p in queue) if (p != pending) rest.Enqueue(p);
            if (rest.Count == 0) _byTarget.Remove(key);
            else _byTarget[key] = rest;
        }
    }
}
