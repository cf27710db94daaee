using System;
using System.Collections.Generic;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Probes
{
    /// <summary>A probe whose kernel side writes records to a ring buffer map named "events" and counts
    /// what did not fit in "lost" (bpf/common.h). Derived probes say how to configure, attach and decode.</summary>
    internal abstract class RingBufferProbe<TEvent> : IEventSource<TEvent>
    {
        /// <summary>1 MiB: some thousands of records between two polls.</summary>
        internal const uint DefaultRingBufferBytes = 1 << 20;

        private readonly BpfObject _object;
        private readonly RingBuffer? _ring;
        private readonly BpfMap? _lost;
        private List<TEvent> _ready = new();

        /// <param name="objectName">The embedded object (bpf/NAME.bpf.c).</param>
        /// <param name="beforeLoad">Sets globals and map sizes.</param>
        /// <param name="afterLoad">Fills maps (e.g. process filters) before anything is attached.</param>
        /// <param name="attach">Attaches the programs; by default each where its SEC() says.</param>
        protected RingBufferProbe(string objectName, uint ringBufferBytes, Action<BpfObject>? beforeLoad,
            Action<BpfObject>? afterLoad = null, Action<BpfObject>? attach = null)
        {
            KernelSupport.DemandTracing();
            _object = BpfObject.Open(EmbeddedObjects.Read(objectName), "ebpfps_" + objectName);
            try
            {
                _object.Map("events").SetMaxEntries(ringBufferBytes);
                beforeLoad?.Invoke(_object);
                _object.Load();
                afterLoad?.Invoke(_object);
                _lost = _object.Map("lost");
                _ring = new RingBuffer(_object.Map("events"), record => OnRecord(record, _ready));
                if (attach is null) _object.AttachAll();
                else attach(_object);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        protected KernelClock Clock { get; } = new();

        public BpfObject? Object => _object;

        public ulong Lost => _lost!.SumPerCpu(0);

        public IReadOnlyList<LibbpfLog.Line> Log => _object.Log;

        /// <summary>Decodes one record; events that are ready go to <paramref name="ready"/>.</summary>
        protected abstract void OnRecord(ReadOnlySpan<byte> record, List<TEvent> ready);

        public virtual void Poll(int timeoutMs, List<TEvent> ready)
        {
            _ready = ready;
            _ring!.Poll(timeoutMs);
        }

        public virtual void Complete(List<TEvent> ready) => Poll(0, ready);

        /// <summary>Entries of a PID_SET map (MAX_PID_FILTER of bpf/common.h).</summary>
        internal const int MaxPidFilter = 64;

        /// <summary>Fills a PID_SET map of bpf/common.h.</summary>
        protected static void FillPidSet(BpfObject obj, string map, IReadOnlyCollection<int> pids)
        {
            if (pids.Count > MaxPidFilter)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"At most {MaxPidFilter} process ids can be filtered on, not {pids.Count}.",
                    "Filter on fewer processes, or filter the rest with Where-Object.");
            var set = obj.Map(map);
            foreach (int pid in pids) set.Update((uint)pid, (byte)1);
        }

        public void Dispose()
        {
            _ring?.Dispose();
            _object.Dispose();
        }
    }
}
