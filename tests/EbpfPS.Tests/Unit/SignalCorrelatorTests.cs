using System;
using System.Collections.Generic;
using EbpfPS.Probes.Signals;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    public class SignalCorrelatorTests
    {
        private const ulong Ms = 1_000_000;
        private readonly SignalCorrelator _correlator = new(TimeSpan.FromSeconds(1));
        private readonly List<BpfSignalEvent> _ready = new();

        private static BpfSignalEvent Signal(int pid, int signal, long value = 0) =>
            new() { TargetProcessId = pid, Signal = signal, Value = value };

        [Fact]
        public void A_signal_the_kernel_did_not_queue_leaves_at_once()
        {
            _correlator.Generated(Signal(10, 10), 5 * Ms, queued: false, _ready);
            Assert.Single(_ready);
            Assert.Null(_ready[0].DeliveredAt);
        }

        [Fact]
        public void A_queued_signal_waits_for_its_delivery_and_carries_the_latency()
        {
            _correlator.Generated(Signal(10, 15), 5 * Ms, queued: true, _ready);
            Assert.Empty(_ready);
            var at = new DateTime(2026, 11, 23, 12, 0, 0);
            _correlator.Delivered(10, 15, 8 * Ms, at, _ready);
            var e = Assert.Single(_ready);
            Assert.Equal(at, e.DeliveredAt);
            Assert.Equal(TimeSpan.FromMilliseconds(3), e.DeliveryLatency);
        }

        [Fact]
        public void Real_time_signals_are_delivered_in_the_order_they_were_queued()
        {
            _correlator.Generated(Signal(10, 36, value: 1), 1 * Ms, true, _ready);
            _correlator.Generated(Signal(10, 36, value: 2), 2 * Ms, true, _ready);
            _correlator.Delivered(10, 36, 3 * Ms, DateTime.Now, _ready);
            Assert.Equal(1, Assert.Single(_ready).Value);
            Assert.Equal(1, _correlator.PendingCount);
        }

        [Fact]
        public void Deliveries_of_other_processes_or_signals_do_not_match()
        {
            _correlator.Generated(Signal(10, 15), 1 * Ms, true, _ready);
            _correlator.Delivered(11, 15, 2 * Ms, DateTime.Now, _ready);
            _correlator.Delivered(10, 10, 2 * Ms, DateTime.Now, _ready);
            Assert.Empty(_ready);
        }

        [Fact]
        public void An_exit_releases_every_pending_signal_of_that_process_undelivered()
        {
            _correlator.Generated(Signal(10, 12), 1 * Ms, true, _ready);
            _correlator.Generated(Signal(10, 36), 1 * Ms, true, _ready);
            _correlator.Generated(Signal(11, 12), 1 * Ms, true, _ready);
            _correlator.Exited(10, _ready);
            Assert.Equal(2, _ready.Count);
            Assert.All(_ready, e => Assert.Equal(10, e.TargetProcessId));
            Assert.All(_ready, e => Assert.Null(e.DeliveredAt));
            Assert.Equal(1, _correlator.PendingCount);
        }

        [Fact]
        public void A_signal_left_pending_longer_than_the_wait_leaves_undelivered_and_only_once()
        {
            _correlator.Generated(Signal(10, 12), 1 * Ms, true, _ready);
            _correlator.Generated(Signal(10, 12), 900 * Ms, true, _ready);
            _correlator.Expire(1000 * Ms, _ready);
            Assert.Empty(_ready);
            _correlator.Expire(1001 * Ms, _ready);
            Assert.Single(_ready);
            _correlator.Delivered(10, 12, 1002 * Ms, DateTime.Now, _ready);
            Assert.Equal(2, _ready.Count);
            Assert.NotNull(_ready[1].DeliveredAt);
            _correlator.Flush(_ready);
            Assert.Equal(2, _ready.Count);
        }

        [Fact]
        public void Flush_releases_everything_once()
        {
            _correlator.Generated(Signal(10, 12), 1 * Ms, true, _ready);
            _correlator.Delivered(10, 12, 2 * Ms, DateTime.Now, _ready);
            _correlator.Generated(Signal(10, 13), 3 * Ms, true, _ready);
            _correlator.Flush(_ready);
            Assert.Equal(new[] { 12, 13 }, _ready.ConvertAll(e => e.Signal));
            Assert.Equal(0, _correlator.PendingCount);
        }
    }
}
