using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Probes.Signals
{
    /// <summary>What to trace; every filter runs in the kernel.</summary>
    internal sealed record SignalFilter
    {
        /// <summary>Signal numbers to keep; empty keeps all.</summary>
        public IReadOnlyCollection<int> Signals { get; init; } = Array.Empty<int>();
        public IReadOnlyCollection<int> SenderProcessIds { get; init; } = Array.Empty<int>();
        public IReadOnlyCollection<int> TargetProcessIds { get; init; } = Array.Empty<int>();
        public bool FailedOnly { get; init; }

        /// <summary>The .rodata mask of signal.bpf.c: bit (n - 1) for signal n.</summary>
        internal ulong SignalMask
        {
            get
            {
                ulong mask = 0;
                foreach (int signal in Signals) mask |= 1UL << (signal - 1);
                return mask;
            }
        }
    }

    /// <summary>bpf/signal.bpf.c loaded and attached: turns its records into BpfSignalEvents.</summary>
    internal sealed unsafe class SignalProbe : IEventSource<BpfSignalEvent>
    {
        internal static readonly TimeSpan DefaultDeliveryWait = TimeSpan.FromSeconds(1);
        /// <summary>At the end of a trace, how long signals still in flight may take to arrive.</summary>
        private static readonly TimeSpan FinalDeliveryWait = TimeSpan.FromMilliseconds(200);
        private const int MaxPidFilter = 64;

        private readonly BpfObject _object;
        private readonly RingBuffer _ring;
        private readonly BpfMap _lost;
        private readonly KernelClock _clock = new();
        private readonly SignalCorrelator _correlator;
        private List<BpfSignalEvent> _ready = new();

        /// <summary>Ring buffer size: 1 MiB holds ~2,900 signal records between two polls.</summary>
        internal const uint DefaultRingBufferBytes = 1 << 20;

        internal SignalProbe(SignalFilter filter, TimeSpan? deliveryWait = null, uint ringBufferBytes = DefaultRingBufferBytes)
        {
            if (filter.SenderProcessIds.Count > MaxPidFilter || filter.TargetProcessIds.Count > MaxPidFilter)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"At most {MaxPidFilter} process ids can be filtered on.");
            KernelSupport.DemandTracing();
            _correlator = new SignalCorrelator(deliveryWait ?? DefaultDeliveryWait);
            _object = BpfObject.Open(EmbeddedObjects.Read("signal"), "ebpfps_signal");
            try
            {
                _object.SetGlobal("filter_signal_mask", filter.SignalMask);
                _object.SetGlobal("filter_senders", filter.SenderProcessIds.Count > 0);
                _object.SetGlobal("filter_targets", filter.TargetProcessIds.Count > 0);
                _object.SetGlobal("failed_only", filter.FailedOnly);
                _object.Map("events").SetMaxEntries(ringBufferBytes);
                _object.Load();
                Fill(_object.Map("sender_pids"), filter.SenderProcessIds);
                Fill(_object.Map("target_pids"), filter.TargetProcessIds);
                _lost = _object.Map("lost");
                _ring = new RingBuffer(_object.Map("events"), OnRecord);
                _object.AttachAll();
            }
            catch
            {
                _ring?.Dispose();
                _object.Dispose();
                throw;
            }
        }

        public ulong Lost => _lost.SumPerCpu(0);

        public IReadOnlyList<LibbpfLog.Line> Log => _object.Log;

        public void Poll(int timeoutMs, List<BpfSignalEvent> ready)
        {
            _ready = ready;
            _ring.Poll(timeoutMs);
            _correlator.Expire((ulong)KernelClock.MonotonicNow(), ready);
        }

        public void Complete(List<BpfSignalEvent> ready)
        {
            _ready = ready;
            long deadline = KernelClock.MonotonicNow() + FinalDeliveryWait.Ticks * 100;
            while (_correlator.PendingCount > 0 && KernelClock.MonotonicNow() < deadline)
                _ring.Poll(20);
            _correlator.Flush(ready);
        }

        private static void Fill(BpfMap map, IReadOnlyCollection<int> pids)
        {
            foreach (int pid in pids) map.Update((uint)pid, (byte)1);
        }

        private void OnRecord(ReadOnlySpan<byte> record)
        {
            var kind = (SignalRecordKind)MemoryMarshal.Read<uint>(record.Slice(8, 4));
            switch (kind)
            {
                case SignalRecordKind.Generate:
                    var generated = MemoryMarshal.Read<SignalGenerateRecord>(record);
                    _correlator.Generated(Decode(in generated), generated.TimestampNs, SignalNames.IsQueued(generated.Result), _ready);
                    break;
                case SignalRecordKind.Deliver:
                    var delivered = MemoryMarshal.Read<SignalTargetRecord>(record);
                    _correlator.Delivered((int)delivered.TargetPid, delivered.Sig, delivered.TimestampNs,
                        _clock.ToDateTime(delivered.TimestampNs), _ready);
                    break;
                case SignalRecordKind.Exit:
                    var exited = MemoryMarshal.Read<SignalTargetRecord>(record);
                    _correlator.Exited((int)exited.TargetPid, _ready);
                    break;
                default:
                    throw new InvalidDataException($"Unknown signal record kind {(uint)kind}.");
            }
        }

        internal BpfSignalEvent Decode(in SignalGenerateRecord r)
        {
            string senderCommand;
            string commandLine;
            fixed (byte* comm = r.SenderComm) senderCommand = CString(comm, SignalGenerateRecord.CommLength);
            fixed (byte* cmdline = r.SenderCmdline) commandLine = CommandLine.FromArgv(new ReadOnlySpan<byte>(cmdline, (int)Math.Min(r.CmdlineLen, SignalGenerateRecord.CmdlineLength)));
            if (commandLine.Length == 0) commandLine = CommandLine.OfProcess((int)r.SenderPid) ?? senderCommand;
            string targetCommand;
            fixed (byte* comm = r.TargetComm) targetCommand = CString(comm, SignalGenerateRecord.CommLength);

            return new BpfSignalEvent
            {
                Timestamp = _clock.ToDateTime(r.TimestampNs),
                Signal = r.Sig,
                SignalName = SignalNames.Name(r.Sig),
                SenderProcessId = (int)r.SenderPid,
                SenderThreadId = (int)r.SenderTid,
                SenderUserId = (int)r.SenderUid,
                SenderCommand = senderCommand,
                SenderCommandLine = commandLine,
                TargetProcessId = (int)r.TargetPid,
                TargetThreadId = (int)r.TargetTid,
                TargetCommand = targetCommand,
                ToThreadGroup = r.Group != 0,
                Result = r.Result,
                ResultName = SignalNames.ResultName(r.Result),
                Code = r.Code,
                CodeName = SignalNames.CodeName(r.Sig, r.Code),
                Value = (long)r.Value,
                Cpu = (int)r.Cpu,
            };
        }

        private static string CString(byte* bytes, int capacity)
        {
            var span = new ReadOnlySpan<byte>(bytes, capacity);
            int end = span.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
        }

        public void Dispose()
        {
            _ring.Dispose();
            _object.Dispose();
        }
    }
}
