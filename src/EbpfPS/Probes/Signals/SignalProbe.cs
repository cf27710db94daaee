using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System;
using EbpfPS.Bpf;
using EbpfPS.Core.Objects;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;

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
    internal sealed unsafe class SignalProbe : RingBufferProbe<BpfSignalEvent, SignalSkeleton.Open, SignalSkeleton>
    {
        internal static readonly TimeSpan DefaultDeliveryWait = TimeSpan.FromSeconds(1);
        /// <summary>At the end of a trace, how long signals still in flight may take to arrive.</summary>
        private static readonly TimeSpan FinalDeliveryWait = TimeSpan.FromMilliseconds(200);

        private readonly SignalCorrelator _correlator;

        internal SignalProbe(SignalFilter filter, TimeSpan? deliveryWait = null, EventDelivery? delivery = null, AttachProgress? progress = null)
            : base(
                beforeLoad: skeleton =>
                {
                    skeleton.FilterSignalMask = filter.SignalMask;
                    TaskFilter.SetPidSet(ref skeleton.SenderPids, filter.SenderProcessIds);
                    TaskFilter.SetPidSet(ref skeleton.TargetPids, filter.TargetProcessIds);
                    skeleton.FailedOnly = filter.FailedOnly;
                },
                delivery: delivery, progress: progress)
        {
            _correlator = new SignalCorrelator(deliveryWait ?? DefaultDeliveryWait);
        }

        protected override void OnDrained(List<BpfSignalEvent> ready) =>
            _correlator.Expire((ulong)KernelClock.MonotonicNow(), ready);

        protected override void OnComplete(List<BpfSignalEvent> ready)
        {
            long deadline = KernelClock.MonotonicNow() + FinalDeliveryWait.Ticks * 100;
            while (_correlator.PendingCount > 0 && KernelClock.MonotonicNow() < deadline)
                Drain(20, ready);
            _correlator.Flush(ready);
        }

        /// <summary>A signal is one Generate record; Deliver and Exit records complete it.</summary>
        protected override bool IsEvent(ReadOnlySpan<byte> record) =>
            MemoryMarshal.Read<SignalTargetRecord>(record).Kind == SignalRecordKind.Generate;

        protected override int OnDiscard()
        {
            int held = _correlator.PendingCount;
            _correlator.Flush(new List<BpfSignalEvent>());
            return held;
        }

        protected override void OnRecord(ReadOnlySpan<byte> record, List<BpfSignalEvent> ready)
        {
            var kind = MemoryMarshal.Read<SignalTargetRecord>(record).Kind;
            switch (kind)
            {
                case SignalRecordKind.Generate:
                    var generated = MemoryMarshal.Read<SignalGenerateRecord>(record);
                    _correlator.Generated(Decode(in generated), generated.TimestampNs, SignalNames.IsQueued(generated.Result), ready);
                    break;
                case SignalRecordKind.Deliver:
                    var delivered = MemoryMarshal.Read<SignalTargetRecord>(record);
                    _correlator.Delivered((int)delivered.TargetPid, delivered.Sig, delivered.TimestampNs,
                        Clock.ToDateTime(delivered.TimestampNs), ready);
                    break;
                case SignalRecordKind.Exit:
                    var exited = MemoryMarshal.Read<SignalTargetRecord>(record);
                    _correlator.Exited((int)exited.TargetPid, ready);
                    break;
                default:
                    throw new InvalidDataException($"Unknown signal record kind {(uint)kind}.");
            }
        }

        internal BpfSignalEvent Decode(in SignalGenerateRecord r)
        {
            string senderCommand;
            string commandLine;
            fixed (byte* comm = r.SenderComm) senderCommand = Comms.Get(new ReadOnlySpan<byte>(comm, SignalGenerateRecord.SenderCommLength));
            fixed (byte* cmdline = r.SenderCmdline) commandLine = CommandLine.FromArgv(new ReadOnlySpan<byte>(cmdline, (int)Math.Min(r.CmdlineLen, SignalGenerateRecord.SenderCmdlineLength)));
            if (commandLine.Length == 0) commandLine = CommandLine.OfProcess((int)r.SenderPid) ?? senderCommand;
            string targetCommand;
            fixed (byte* comm = r.TargetComm) targetCommand = Comms.Get(new ReadOnlySpan<byte>(comm, SignalGenerateRecord.SenderCommLength));

            return new BpfSignalEvent
            {
                Timestamp = Clock.ToDateTime(r.TimestampNs),
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
    }
}
