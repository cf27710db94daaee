using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EbpfPS.Bpf;
using EbpfPS.Core.Btf;
using EbpfPS.Core.Objects;
using EbpfPS.Core.TraceFs;
using EbpfPS.Core;
using EbpfPS.Probes.Signals;
using EbpfPS.Probes.Syscalls;
using EbpfPS.Probes.Tracepoints;
using EbpfPS.Probes;
using EbpfPS;

// The per-event cost of each decoder: one raw record, as the ring or perf buffer hands it over, to the event
// object the pipeline gets. In process (the probes are loaded for real, so run as root), with allocations.
// --short: one invocation of each benchmark (BenchmarkDotNet's Dry job), also from a Debug build, its files in a
// temporary directory: to show that it still works (tests/Pester/Benchmarks.Tests.ps1), not to measure.
bool quick = args.Contains("--short");
var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob((quick ? Job.Dry : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance))
    .AddDiagnoser(MemoryDiagnoser.Default);
if (quick)
    config = config.WithOptions(ConfigOptions.DisableOptimizationsValidator)
        .WithArtifactsPath(Path.Combine(Path.GetTempPath(), $"ebpfps-bench-decoders-{Environment.ProcessId}"));
try
{
    // Every benchmark unless a --filter says which (else BenchmarkSwitcher asks on the console).
    var options = args.Where(a => a != "--short").ToList();
    if (!options.Contains("--filter")) options.AddRange(new[] { "--filter", "*" });
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(DecoderBenchmarks).Assembly).Run(options.ToArray(), config).ToList();
    // A benchmark that threw (a probe that did not load) is a failed run, not a table with holes.
    return summaries.Count == 0 || summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}
finally
{
    if (quick && Directory.Exists(config.ArtifactsPath)) Directory.Delete(config.ArtifactsPath, recursive: true);
}

/// <summary>Records shaped as the kernel programs write them (bpf/*.h), decoded by the probes' own code in
/// drains of <see cref="Batch"/> events, as the reader takes them from a busy ring; reported per event.</summary>
public unsafe class DecoderBenchmarks
{
    private const int Batch = 64;
    private const int SIGRTMIN = 34;
    private readonly List<BpfSyscallEvent> _syscalls = new();
    private readonly List<BpfSignalEvent> _signals = new();
    private readonly List<BpfTracepointEvent> _tracepoints = new();
    private SyscallProbe _syscallProbe = null!;
    private SignalProbe _signalProbe = null!;
    private TracepointProbe _tracepointProbe = null!;
    private byte[][] _getppid = null!, _openat = null!, _signalPairs = null!, _tracepoint = null!;
    private byte[] _userEvent = null!;
    private BtfDecoder _btf = null!;
    private uint _eventType;

    [GlobalSetup]
    public void Setup()
    {
        if (!Privileges.CanTrace(Privileges.EffectiveCapabilities())) throw new InvalidOperationException("Run as root: the probes load their objects.");
        string traceFs = KernelSupport.DemandTraceFs();
        int pid = Environment.ProcessId; // a filter nothing else matches: no record comes from the kernel itself

        var syscalls = Syscall.Resolve(traceFs, new[] { "getppid", "openat" });
        _syscallProbe = new SyscallProbe(syscalls, TaskFilter.ForProcesses(new[] { pid }));
        _getppid = Repeat(SyscallRecordOf(syscalls.Find(s => s.Name == "getppid")!, Array.Empty<ulong>(), null));
        _openat = Repeat(SyscallRecordOf(syscalls.Find(s => s.Name == "openat")!, new ulong[] { unchecked((ulong)-100), 0x7ffd12345678, 0x80000, 0 }, "/etc/ld.so.cache"));

        _signalProbe = new SignalProbe(new SignalFilter { SenderProcessIds = new[] { pid } });
        var generate = new SignalGenerateRecord
        {
            TimestampNs = 1_000, Kind = SignalRecordKind.Generate, Sig = SIGRTMIN, Result = 0, Code = -1,
            SenderPid = 4242, SenderTid = 4242, TargetPid = 4243, TargetTid = 4243, Value = 7,
        };
        Text(generate.SenderComm, 16, "loadgen");
        Text(generate.TargetComm, 16, "loadgen");
        generate.CmdlineLen = (uint)Text(generate.SenderCmdline, 256, "/tmp/ebpfps-loadgen\0signals\0100000\0");
        var deliver = new SignalTargetRecord { TimestampNs = 2_000, Kind = SignalRecordKind.Deliver, TargetPid = 4243, TargetTid = 4243, Sig = SIGRTMIN };
        _signalPairs = new byte[2 * Batch][];
        for (int i = 0; i < Batch; i++) (_signalPairs[2 * i], _signalPairs[2 * i + 1]) = (Bytes(generate), Bytes(deliver));

        var format = TracepointFormat.Read(traceFs, "sched", "sched_process_fork");
        _tracepointProbe = new TracepointProbe(new[] { format }, TaskFilter.ForProcesses(new[] { pid }));
        var header = new TracepointRecord { TimestampNs = 1_000, Pid = 4242, Tid = 4242, Size = (ushort)format.FixedSize, EventId = (uint)format.Id };
        Text(header.Comm, 16, "bash");
        var tracepoint = new byte[TracepointRecord.DataOffset + format.FixedSize];
        MemoryMarshal.AsBytes(new ReadOnlySpan<TracepointRecord>(in header))[..TracepointRecord.DataOffset].CopyTo(tracepoint);
        _tracepoint = Repeat(tracepoint);

        using var stream = typeof(DecoderBenchmarks).Assembly.GetManifestResourceStream("EbpfPS.Bench.perf_getppid.bpf.o")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        using var obj = BpfObject.Open(copy.ToArray(), "perf_getppid");
        var spec = BtfLoader.FromLibbpf(obj.Btf);
        _btf = new BtfDecoder(spec);
        _eventType = spec.Find<BtfComposite>("event")!.Value;
        _userEvent = new byte[spec.SizeOf(_eventType)];
        MemoryMarshal.Write(_userEvent, 123_456_789UL);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _syscallProbe.Dispose();
        _signalProbe.Dispose();
        _tracepointProbe.Dispose();
    }

    [Benchmark(Description = "syscall getppid (no arguments)", OperationsPerInvoke = Batch)]
    public int SyscallWithoutArguments() => Drain(_syscallProbe, _getppid, _syscalls);

    [Benchmark(Description = "syscall openat (4 arguments, a path)", OperationsPerInvoke = Batch)]
    public int SyscallWithArguments() => Drain(_syscallProbe, _openat, _syscalls);

    [Benchmark(Description = "signal generated + delivered (2 records, 1 event)", OperationsPerInvoke = Batch)]
    public int SignalPair() => Drain(_signalProbe, _signalPairs, _signals);

    [Benchmark(Description = "tracepoint sched:sched_process_fork (format-decoded fields)", OperationsPerInvoke = Batch)]
    public int Tracepoint() => Drain(_tracepointProbe, _tracepoint, _tracepoints);

    [Benchmark(Description = "user object struct event (BTF-decoded, -Path)")]
    public object? UserObjectEvent() => _btf.Decode(_eventType, _userEvent);

    /// <summary>One drain; every event must come out of it (else the benchmark measures nothing).</summary>
    private static int Drain<T, TOpen, TSkeleton>(EbpfPS.Probes.RingBufferProbe<T, TOpen, TSkeleton> probe, byte[][] records, List<T> events)
        where TOpen : EbpfPS.Core.Objects.BpfOpenSkeleton<TSkeleton>, EbpfPS.Probes.IOpenRingBufferSkeleton, new()
        where TSkeleton : EbpfPS.Core.Objects.BpfSkeleton, EbpfPS.Probes.IRingBufferSkeleton
    {
        events.Clear();
        probe.Decode(records, events);
        if (events.Count != Batch) throw new InvalidOperationException($"{events.Count} events from a drain of {Batch}.");
        return events.Count;
    }

    private static byte[][] Repeat(byte[] record)
    {
        var records = new byte[Batch][];
        for (int i = 0; i < Batch; i++) records[i] = record;
        return records;
    }

    private static byte[] SyscallRecordOf(Syscall syscall, ulong[] args, string? text)
    {
        var r = new SyscallRecord { EnterNs = 1_000, ExitNs = 3_500, Pid = 4242, Tid = 4242, EnterId = (uint)syscall.Enter.Id, Ret = 3 };
        for (int i = 0; i < args.Length; i++) r.Args[i] = args[i];
        Text(r.Comm, 16, "loadgen");
        if (text is not null) r.DataLen = (uint)Text(r.Data, SyscallRecord.DataLength, text);
        return Bytes(r);
    }

    private static int Text(byte* into, int capacity, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        bytes.AsSpan(0, Math.Min(bytes.Length, capacity - 1)).CopyTo(new Span<byte>(into, capacity));
        return Math.Min(bytes.Length, capacity - 1) + 1;
    }

    private static byte[] Bytes<T>(T value) where T : unmanaged
    {
        var bytes = new byte[sizeof(T)];
        MemoryMarshal.Write(bytes, in value);
        return bytes;
    }
}
