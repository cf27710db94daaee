using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using System.Threading;
using System;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using EbpfPS.Probes.Signals;
using EbpfPS.Probes.Syscalls;
using EbpfPS.Probes.UserObjects;
using EbpfPS.Probes;

// Usage (root, from the repository): tools/bench-events.sh [--calls N] [--signals M] [--rate R] [--seconds S]
//   [--pipeline-rate R] [--flood N] [--measured N] [--no-bpftrace] [--short]
// One run, same machine, same load generator (loadgen.c): the traced process's speed relative to untraced,
// events received vs generated, lost, events/s into the consumer, consumer CPU per event, start to attached,
// and peak memory (VmHWM) of the consuming process, for
//   EbpfPS engine (SyscallProbe/SignalProbe, batched delivery and the per-event wake-up path before it),
//   a user's object through a perf buffer (perf_getppid.bpf.c as Start-BpfTrace -Path opens it, batched and per event),
//   EbpfPS through PowerShell (Start-BpfTrace ... | Out-Null in a hosted runspace, and in a real pwsh process; into
//   ForEach-Object as a fresh session's first burst and as its second),
//   Measure-BpfTrace counting in the kernel (hosted runspace), over a burst and over 10,000,000 calls,
//   bpftrace printing each event and bpftrace counting in the kernel.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
// --short or EBPFPS_BENCH_SHORT=1: every row with small counts, to show that it still works (tests/Pester/Benchmarks.Tests.ps1).
bool quick = args.Contains("--short") || Environment.GetEnvironmentVariable("EBPFPS_BENCH_SHORT") == "1";
int calls = Option("--calls", quick ? 2_000 : 200_000);
int signals = Option("--signals", quick ? 2_000 : 100_000);
int rate = Option("--rate", quick ? 20_000 : 400_000);
int seconds = Option("--seconds", quick ? 1 : 2);
int pipelineRate = Option("--pipeline-rate", quick ? 10_000 : 250_000);
int flood = Option("--flood", quick ? 5_000 : 1_000_000);
int measured = Option("--measured", quick ? 20_000 : 10_000_000);
bool withBpftrace = !args.Contains("--no-bpftrace") && File.Exists("/usr/bin/bpftrace");
if (!Privileges.CanTrace(Privileges.EffectiveCapabilities())) { Console.Error.WriteLine("Run as root."); return 1; }
Children.EndOnExit();

string loadgen = BuildLoadgen();
const int SIGRTMIN = 34; // glibc's SIGRTMIN (the kernel's 32 and 33 are its own)
string[] pwshEngine = PwshEngine();
string bpftraceVersion = withBpftrace ? Capture("bpftrace", "--version").Trim() : "not run";
Console.WriteLine($"{Environment.ProcessorCount} CPUs, kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {bpftraceVersion}");

var getppid = Syscall.Resolve(KernelSupport.DemandTraceFs(), new[] { "getppid" });
var rows = new List<Row>();

Console.Error.WriteLine("warm-up: engine");
// Warm-up: JIT of the engine and the module, so that start-to-attached measures a loaded module.
Engine("warm-up", $"syscalls 1000", pid => new SyscallProbe(getppid, TaskFilter.ForProcesses(new[] { pid })), 0);
string perfObject = Path.Combine(AppContext.BaseDirectory, "perf_getppid.bpf.o");
var perfGlobals = (int pid) => new Dictionary<string, object?> { ["target_pid"] = pid };
Engine("warm-up", $"syscalls 1000", pid => new UserObjectProbe(perfObject, perfGlobals(pid), null), 0);
using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
runspace.Open();
Console.Error.WriteLine("warm-up: module");
RunScript($"Import-Module '{Path.Combine(RepoRoot(), "out", "EbpfPS", "EbpfPS.psd1")}'");
Pipeline("warm-up", "syscalls 1000", pid => $"Start-BpfTrace -Syscall getppid -ProcessId {pid} -Count 1000 | Out-Null", 1000, 0);

Settle();
double restMb = Status(Environment.ProcessId, "VmRSS:");
Console.WriteLine($"this process at rest after the warm-up (runtime, runspace, module, one trace done): {restMb:N0} MB resident");
long untracedCalls = Untraced($"syscalls {calls}");
long untracedSignals = Untraced($"signals {signals}");
long untracedFlood = Untraced($"syscalls {flood}");
long untracedMeasured = Untraced($"syscalls {measured}");
Console.WriteLine($"untraced: {calls:N0} getppid in {untracedCalls / 1e6:N1} ms, {signals:N0} sigqueue in {untracedSignals / 1e6:N1} ms\n");

string syscallsW = $"getppid x{calls / 1000}k", signalsW = $"sigqueue x{signals / 1000}k", rateW = $"getppid {rate / 1000}k/s x{seconds}s";
rows.Add(Engine("EbpfPS engine, batched", $"syscalls {calls}", pid => new SyscallProbe(getppid, TaskFilter.ForProcesses(new[] { pid })), untracedCalls, syscallsW));
rows.Add(Engine("EbpfPS engine, per-event wake-up", $"syscalls {calls}", pid => new SyscallProbe(getppid, TaskFilter.ForProcesses(new[] { pid }), delivery: EventDelivery.PerEvent), untracedCalls, syscallsW));
rows.Add(Engine("-Path object, perf buffer, batched", $"syscalls {calls}", pid => new UserObjectProbe(perfObject, perfGlobals(pid), null), untracedCalls, syscallsW));
rows.Add(Engine("-Path object, perf buffer, per-event wake-up", $"syscalls {calls}", pid => new UserObjectProbe(perfObject, perfGlobals(pid), null, EventDelivery.PerEvent), untracedCalls, syscallsW));
rows.Add(Pipeline("Start-BpfTrace | Out-Null", $"syscalls {calls}", pid => $"Start-BpfTrace -Syscall getppid -ProcessId {pid} -Count {calls} -Duration 00:00:30 | Out-Null", calls, untracedCalls, syscallsW));
rows.Add(MedianOf(3, () => Pwsh("pwsh: Start-BpfTrace | Out-Null", $"syscalls {calls}", pid => $"Start-BpfTrace -Syscall getppid -ProcessId {pid} -Count {calls} -Duration 00:00:30 | Out-Null", calls, untracedCalls, syscallsW)));
Func<int, string> countInForEach = pid => $"$n = 0; Start-BpfTrace -Syscall getppid -ProcessId {pid} -Count {calls} -Duration 00:00:30 | ForEach-Object {{ $n++ }}";
rows.Add(MedianOf(3, () => Pwsh("pwsh: Start-BpfTrace | ForEach-Object { $n++ }", $"syscalls {calls}", countInForEach, calls, untracedCalls, syscallsW)));
rows.Add(MedianOf(3, () => Pwsh("pwsh, second burst: Start-BpfTrace | ForEach-Object { $n++ }", $"syscalls {calls}", countInForEach, calls, untracedCalls, syscallsW, secondBurst: true)));
if (withBpftrace)
{
    rows.Add(MedianOf(3, () => Bpftrace("bpftrace printf", $"syscalls {calls}", pid => $"tracepoint:syscalls:sys_enter_getppid /pid == {pid}/ {{ printf(\"%d\\n\", tid); }}", false, untracedCalls, syscallsW)));
    rows.Add(MedianOf(3, () => Bpftrace("bpftrace count()", $"syscalls {calls}", pid => $"tracepoint:syscalls:sys_enter_getppid /pid == {pid}/ {{ @n[pid] = count(); }}", true, untracedCalls, syscallsW)));
}
rows.Add(MedianOf(3, () => Measured("Measure-BpfTrace -By ProcessId", $"syscalls {calls}", pid => $"Measure-BpfTrace -Syscall getppid -ProcessId {pid} -By ProcessId", untracedCalls, syscallsW)));
rows.Add(Measured("Measure-BpfTrace -By ProcessId", $"syscalls {measured}", pid => $"Measure-BpfTrace -Syscall getppid -ProcessId {pid} -By ProcessId", untracedMeasured, $"getppid x{measured / 1000}k"));
var signalFilter = (int pid) => new SignalFilter { SenderProcessIds = new[] { pid }, Signals = new[] { SIGRTMIN } };
rows.Add(Engine("EbpfPS engine, batched", $"signals {signals}", pid => new SignalProbe(signalFilter(pid)), untracedSignals, signalsW));
rows.Add(Engine("EbpfPS engine, per-event wake-up", $"signals {signals}", pid => new SignalProbe(signalFilter(pid), delivery: EventDelivery.PerEvent), untracedSignals, signalsW));
rows.Add(Pipeline("Get-BpfSignalEvent | Out-Null", $"signals {signals}", pid => $"Get-BpfSignalEvent -ProcessId {pid} -Signal {SIGRTMIN} -Count {signals} -Duration 00:00:30 | Out-Null", signals, untracedSignals, signalsW));
rows.Add(Pwsh("pwsh: Get-BpfSignalEvent | Out-Null", $"signals {signals}", pid => $"Get-BpfSignalEvent -ProcessId {pid} -Signal {SIGRTMIN} -Count {signals} -Duration 00:00:30 | Out-Null", signals, untracedSignals, signalsW));
if (withBpftrace)
{
    rows.Add(Bpftrace("bpftrace printf", $"signals {signals}", pid => $"tracepoint:signal:signal_generate /pid == {pid} && args->sig == {SIGRTMIN}/ {{ printf(\"%d %d\\n\", args->pid, args->sig); }}", false, untracedSignals, signalsW));
    rows.Add(Bpftrace("bpftrace count()", $"signals {signals}", pid => $"tracepoint:signal:signal_generate /pid == {pid} && args->sig == {SIGRTMIN}/ {{ @n = count(); }}", true, untracedSignals, signalsW));
}
rows.Add(Engine("EbpfPS engine, batched", $"rate {rate} {seconds}", pid => new SyscallProbe(getppid, TaskFilter.ForProcesses(new[] { pid })), 0, rateW));
rows.Add(Engine("EbpfPS engine, per-event wake-up", $"rate {rate} {seconds}", pid => new SyscallProbe(getppid, TaskFilter.ForProcesses(new[] { pid }), delivery: EventDelivery.PerEvent), 0, rateW));
if (withBpftrace)
    rows.Add(Bpftrace("bpftrace printf", $"rate {rate} {seconds}", pid => $"tracepoint:syscalls:sys_enter_getppid /pid == {pid}/ {{ printf(\"%d\\n\", tid); }}", false, 0, rateW));
long pipelineEvents = (long)pipelineRate * seconds;
rows.Add(Pipeline("Start-BpfTrace | Out-Null", $"rate {pipelineRate} {seconds}", pid => $"Start-BpfTrace -Syscall getppid -ProcessId {pid} -Count {pipelineEvents} -Duration 00:00:30 | Out-Null", pipelineEvents, 0, $"getppid {pipelineRate / 1000}k/s x{seconds}s"));
rows.Add(Pipeline("Start-BpfTrace | Out-Null", $"syscalls {flood}", pid => $"Start-BpfTrace -Syscall getppid -ProcessId {pid} -Count {flood} -Duration 00:00:30 | Out-Null", flood, untracedFlood, $"getppid x{flood / 1000}k"));
rows.Add(Pwsh("pwsh: Start-BpfTrace | Out-Null", $"rate {pipelineRate} {seconds}", pid => $"Start-BpfTrace -Syscall getppid -ProcessId {pid} -Count {pipelineEvents} -Duration 00:00:30 | Out-Null", pipelineEvents, 0, $"getppid {pipelineRate / 1000}k/s x{seconds}s"));
rows.Add(Pwsh("pwsh: Start-BpfTrace | Out-Null", $"syscalls {flood}", pid => $"Start-BpfTrace -Syscall getppid -ProcessId {pid} -Count {flood} -Duration 00:00:30 | Out-Null", flood, untracedFlood, $"getppid x{flood / 1000}k"));

Console.WriteLine("| Consumer | Workload | Generated | Received | Lost | Traced speed | Events/s into sink | CPU/event | Start to attached | Peak memory |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var r in rows)
    Console.WriteLine($"| {r.Consumer} | {r.Workload} | {r.Generated:N0} | {(r.ReceivedDerived ? "≈" : "")}{r.Received:N0} | {r.Lost:N0} | {(r.Workload.Contains("/s") ? $"pace {r.Speed:0.00}x" : $"{r.Speed:0.00}x")} | {(r.SinkRate > 0 ? r.SinkRate.ToString("N0") : "-")} | {r.CpuPerEventUs:0.00} µs | {r.AttachMs:N0} ms | {r.PeakMb:N0} MB{(r.RestMb > 0 ? $" (rest {r.RestMb:N0})" : "")} |");
Console.WriteLine("\nTraced speed: untraced time / traced time of the generator (pace: planned / actual duration of a fixed-rate run).");
Console.WriteLine("Events/s into sink: received / (last event - go) for the engine and bpftrace, received / (pipeline end - go) for PowerShell.");
Console.WriteLine("CPU/event: the consumer process's user+system CPU from attached to the end / received. Peak memory: VmHWM of");
Console.WriteLine("the consuming process (for EbpfPS rows this whole benchmark process, runspace included; before each row a full collection");
Console.WriteLine("returns what the GC kept from earlier rows and the peak is reset, so a row starts from the process at rest; pwsh rows:");
Console.WriteLine("a new pwsh engine process per row, its peak from its start, its start to attached from the line before the command).");
Console.WriteLine("≈: the pipeline did not reach -Count (events were lost): received = generated - lost reported in warnings; its rate is not measured (-).\n");
Targets();
return 0;

void Targets()
{
    Row? Find(string consumer, string workload) => rows.FirstOrDefault(r => r.Consumer == consumer && r.Workload == workload);
    void Check(string what, double value, double target, bool atLeast, string unit)
    {
        bool met = atLeast ? value >= target : value <= target;
        string by = met ? "" : $" — missed by {Math.Abs(value - target):0.##}{unit} ({(atLeast ? value / target : target / value):P0} of target)";
        Console.WriteLine($"{(met ? "MET   " : "MISSED")} {what}: {value:0.##}{unit} (target {(atLeast ? "≥" : "≤")} {target:0.##}{unit}){by}");
    }
    foreach (var w in new[] { syscallsW, signalsW })
    {
        if (Find("EbpfPS engine, batched", w) is { } e)
        {
            Check($"{w}: traced speed, engine batched", e.Speed, 0.30, true, "x");
            Check($"{w}: received, engine batched", 100.0 * e.Received / e.Generated, 100, true, " %");
            if (Find("bpftrace printf", w) is { } b && b.Speed > 0) Check($"{w}: engine batched vs bpftrace printf speed", e.Speed / b.Speed, 10, true, "x");
        }
    }
    if (Find("Measure-BpfTrace -By ProcessId", syscallsW) is { } m)
    {
        Check($"{syscallsW}: counted by Measure-BpfTrace", 100.0 * m.Received / m.Generated, 100, true, " %");
        if (Find("bpftrace count()", syscallsW) is { } bc && bc.Speed > 0) Check($"{syscallsW}: Measure-BpfTrace vs bpftrace count() speed", m.Speed / bc.Speed, 1, true, "x");
    }
    if (Find("Measure-BpfTrace -By ProcessId", $"getppid x{measured / 1000}k") is { } mm)
    {
        Check($"getppid x{measured / 1000}k: counted by Measure-BpfTrace", 100.0 * mm.Received / mm.Generated, 100, true, " %");
        if (Find("Measure-BpfTrace -By ProcessId", syscallsW) is { } small)
            Check($"getppid x{measured / 1000}k: Measure-BpfTrace's peak memory above that of {syscallsW} (flat: nothing per event)", mm.PeakMb - small.PeakMb, 5, false, " MB");
    }
    if (Find("EbpfPS engine, batched", rateW) is { } r) Check($"{rateW}: lost, engine batched", r.Lost, 0, false, "");
    string pw = $"getppid {pipelineRate / 1000}k/s x{seconds}s";
    if (Find("Start-BpfTrace | Out-Null", $"getppid x{flood / 1000}k") is { } pf)
    {
        if (pf.SinkRate > 0) Check($"getppid x{flood / 1000}k: events/s into Out-Null", pf.SinkRate, 250_000, true, "");
        else Console.WriteLine($"MISSED getppid x{flood / 1000}k: events/s into Out-Null not measured: the pipeline lost events and did not reach -Count");
        Check($"getppid x{flood / 1000}k: lost through the pipeline (counted, not hidden)", pf.Lost, 0, false, "");
    }
    if (Find("Start-BpfTrace | Out-Null", pw) is { } p)
        Check($"{pw}: lost through the pipeline", p.Lost, 0, false, "");
    if (Find("Start-BpfTrace | Out-Null", syscallsW) is { } a) Check("Start-BpfTrace start to attached (module loaded)", a.AttachMs, 100, false, " ms");
    if (Find("pwsh: Start-BpfTrace | ForEach-Object { $n++ }", syscallsW) is { } fe)
    {
        Check($"{syscallsW}: received in a fresh pwsh into ForEach-Object", 100.0 * fe.Received / fe.Generated, 100, true, " %");
        Check($"{syscallsW}: traced speed, fresh pwsh into ForEach-Object", fe.Speed, 0.30, true, "x");
        // The issue set 0.30x beside bpftrace printf's ~0.12x, with 200,000 untraced calls taking ~250 ms; where this
        // VM's syscalls are faster, tracing's fixed cost per call weighs more for every tracer (bpftrace printf 0.03x).
        if (Find("bpftrace printf", syscallsW) is { } bp && bp.Speed > 0)
            Check($"{syscallsW}: traced speed, fresh pwsh into ForEach-Object vs bpftrace printf (0.30x against its 0.12x)", fe.Speed / bp.Speed, 2.5, true, "x");
        if (Find("pwsh, second burst: Start-BpfTrace | ForEach-Object { $n++ }", syscallsW) is { } later && later.Speed > 0)
            Check($"{syscallsW}: a fresh session's first burst vs its second, traced speed into ForEach-Object (no worse, within this VM's run-to-run noise)", fe.Speed / later.Speed, 0.9, true, "x");
    }
    if (Find("pwsh: Start-BpfTrace | Out-Null", $"getppid x{flood / 1000}k") is { } pf2)
    {
        Check($"getppid x{flood / 1000}k: received in a fresh pwsh into Out-Null", 100.0 * pf2.Received / pf2.Generated, 100, true, " %");
        Check($"getppid x{flood / 1000}k: pwsh peak memory above its rest with the module imported", pf2.PeakMb - pf2.RestMb, 100, false, " MB");
    }
    if (Find("Start-BpfTrace | Out-Null", $"getppid x{flood / 1000}k") is { } f) {
        Check($"peak memory of the hosted process under a {flood:N0}-event flood", f.PeakMb, 150, false, " MB");
        Console.WriteLine($"       (of which {restMb:N0} MB is the process at rest before any event: the flood adds {f.PeakMb - restMb:N0} MB)");
    }
}

/// <summary>The untraced program's time: the median of five runs, the same estimator as the traced rows that are
/// repeated (<see cref="MedianOf"/>); the fastest of a few would make every ratio look worse than it is.</summary>
long Untraced(string genArgs)
{
    var times = new List<long>();
    for (int i = 0; i < 5; i++)
    {
        using var gen = Generator.Start(loadgen, genArgs);
        gen.Go();
        times.Add(gen.Done().Result.Ns);
    }
    times.Sort();
    return times[times.Count / 2];
}

/// <summary>A row run <paramref name="runs"/> times (once in the short mode), the run of median traced speed kept: a
/// fresh pwsh's traced speed moves by up to 1.5x from one run to the next on this kind of machine.</summary>
Row MedianOf(int runs, Func<Row> run)
{
    var all = Enumerable.Range(0, quick ? 1 : runs).Select(_ => run()).OrderBy(r => r.Speed).ToList();
    var median = all[all.Count / 2];
    if (all.Count > 1)
        Console.Error.WriteLine($"{median.Consumer}: traced speed {string.Join(", ", all.Select(r => r.Speed.ToString("N2") + "x"))} in {all.Count} runs; the median is kept");
    return median;
}

Row Engine<T>(string consumer, string genArgs, Func<int, IEventSource<T>> open, long untracedNs, string workload = "")
{
    using var gen = Generator.Start(loadgen, genArgs);
    Settle();
    var attach = Stopwatch.StartNew();
    using var source = open(gen.Pid);
    double attachMs = attach.Elapsed.TotalMilliseconds;
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    long received = 0;
    source.Poll(0); // starts the reader
    var go = Stopwatch.StartNew();
    gen.Go();
    var done = gen.Done();
    TimeSpan last = TimeSpan.Zero, doneAt = TimeSpan.Zero;
    while (true)
    {
        int ready = source.Poll(50).Count;
        if (ready > 0) { received += ready; last = go.Elapsed; }
        if (done.IsCompleted)
        {
            if (doneAt == TimeSpan.Zero) doneAt = go.Elapsed;
            if (received + (long)source.Lost >= done.Result.Events || go.Elapsed - doneAt > TimeSpan.FromSeconds(2)) break;
        }
    }
    received += source.Complete().Count;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
    var result = done.Result;
    var row = new Row(consumer, workload, result.Events, received, (long)source.Lost, Speed(genArgs, untracedNs, result.Ns),
        received / Math.Max(last.TotalSeconds, 1e-9), cpu.TotalMicroseconds / Math.Max(received, 1), attachMs, PeakMb(Environment.ProcessId), false);
    if (workload != "") Console.Error.WriteLine(row);
    return row;
}

Row Pipeline(string consumer, string genArgs, Func<int, string> script, long count, long untracedNs, string workload = "")
{
    using var gen = Generator.Start(loadgen, genArgs);
    Settle();
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    ps.AddScript("$VerbosePreference = 'Continue'; " + script(gen.Pid));
    using var attached = new ManualResetEventSlim();
    long lostTotal = 0;
    ps.Streams.Verbose.DataAdded += (s, e) => { if (((PSDataCollection<VerboseRecord>)s!)[e.Index].Message.Contains("attached, waiting")) attached.Set(); };
    ps.Streams.Warning.DataAdded += (s, e) =>
    {
        var m = Regex.Match(((PSDataCollection<WarningRecord>)s!)[e.Index].Message, @"(\d+) events (?:were lost in all|lost so far)");
        if (m.Success) Interlocked.Exchange(ref lostTotal, Math.Max(Interlocked.Read(ref lostTotal), long.Parse(m.Groups[1].Value)));
    };
    var clock = Stopwatch.StartNew();
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var invocation = ps.BeginInvoke();
    if (!attached.Wait(TimeSpan.FromSeconds(30))) throw new InvalidOperationException($"{consumer}: not attached after 30 s: {string.Join("; ", ps.Streams.Error)}");
    double attachMs = clock.Elapsed.TotalMilliseconds;
    var cpuAttached = Process.GetCurrentProcess().TotalProcessorTime;
    var go = Stopwatch.StartNew();
    gen.Go();
    var done = gen.Done();
    done.Wait();
    // The trace ends at -Count, or at its -Duration with one warning that gives the total lost.
    if (!invocation.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(45))) throw new InvalidOperationException($"{consumer}: not finished in 45 s");
    var end = go.Elapsed;
    ps.EndInvoke(invocation);
    bool completed = Interlocked.Read(ref lostTotal) == 0;
    if (ps.Streams.Error.Count > 0) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error));
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAttached;
    var result = done.Result;
    long lost = Interlocked.Read(ref lostTotal);
    long received = completed ? count : result.Events - lost;
    var row = new Row(consumer, workload, result.Events, received, lost, Speed(genArgs, untracedNs, result.Ns),
        completed ? received / Math.Max(end.TotalSeconds, 1e-9) : 0, cpu.TotalMicroseconds / Math.Max(received, 1), attachMs, PeakMb(Environment.ProcessId), !completed);
    _ = cpu0;
    if (workload != "") Console.Error.WriteLine(row);
    return row;
}

/// <summary>Measure-BpfTrace in the hosted runspace, writing cumulative counts every half second: once the generator
/// is done and a later measurement came, the pipeline is stopped; received is what the last one counted.</summary>
Row Measured(string consumer, string genArgs, Func<int, string> script, long untracedNs, string workload)
{
    using var gen = Generator.Start(loadgen, genArgs);
    Settle();
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    ps.AddScript("$VerbosePreference = 'Continue'; " + script(gen.Pid) + " -Interval 0.5 -Cumulative");
    using var attached = new ManualResetEventSlim();
    ps.Streams.Verbose.DataAdded += (s, e) => { if (((PSDataCollection<VerboseRecord>)s!)[e.Index].Message.Contains(": attached")) attached.Set(); };
    var output = new PSDataCollection<PSObject>();
    long counted = 0, measurements = 0;
    output.DataAdded += (s, e) =>
    {
        Interlocked.Exchange(ref counted, Convert.ToInt64(output[e.Index].Properties["Count"].Value));
        Interlocked.Increment(ref measurements);
    };
    var clock = Stopwatch.StartNew();
    var invocation = ps.BeginInvoke<PSObject, PSObject>(null, output);
    if (!attached.Wait(TimeSpan.FromSeconds(30))) throw new InvalidOperationException($"{consumer}: not attached after 30 s: {string.Join("; ", ps.Streams.Error)}");
    double attachMs = clock.Elapsed.TotalMilliseconds;
    var cpuAttached = Process.GetCurrentProcess().TotalProcessorTime;
    gen.Go();
    var result = gen.Done().Result;
    long after = Interlocked.Read(ref measurements);
    while (Interlocked.Read(ref measurements) < after + 2) Thread.Sleep(50); // a measurement read wholly after the end
    ps.Stop();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAttached;
    long received = Interlocked.Read(ref counted);
    var row = new Row(consumer, workload, result.Events, received, 0, Speed(genArgs, untracedNs, result.Ns),
        0, cpu.TotalMicroseconds / Math.Max(received, 1), attachMs, PeakMb(Environment.ProcessId), false);
    Console.Error.WriteLine(row);
    return row;
}

/// <summary>The same pipeline in a real pwsh: a new engine process (dotnet with pwsh.dll for the .NET tool, whose
/// pwsh is a launcher) with the module imported; its verbose and warning lines come on its standard output.
/// <paramref name="secondBurst"/>: the measured burst is the session's second, after the same script has traced a
/// first generator of the same workload to its end (what a burst costs once the session is warm).</summary>
Row Pwsh(string consumer, string genArgs, Func<int, string> script, long count, long untracedNs, string workload, bool secondBurst = false)
{
    using var first = secondBurst ? Generator.Start(loadgen, genArgs) : null;
    using var gen = Generator.Start(loadgen, genArgs);
    string module = Path.Combine(RepoRoot(), "out", "EbpfPS", "EbpfPS.psd1");
    string warmUp = first is null ? "" : $"{script(first.Pid)}; 'warm'; ";
    var start = new ProcessStartInfo(pwshEngine[0]) { RedirectStandardOutput = true, RedirectStandardInput = true };
    foreach (string argument in pwshEngine.Skip(1).Concat(new[] { "-NoLogo", "-NoProfile", "-NonInteractive", "-Command",
        $"Import-Module '{module}'; $VerbosePreference = 'Continue'; 'starting'; {warmUp}{script(gen.Pid)}; 'finished'; $null = [Console]::ReadLine()" }))
        start.ArgumentList.Add(argument);
    start.Environment["NO_COLOR"] = "1";
    var launched = Stopwatch.StartNew();
    using var pwsh = Children.Start(start);
    double startupMs = 0, attachMs = 0, restMb = 0;
    long lost = 0;
    using var firstAttached = new ManualResetEventSlim();
    using var attached = new ManualResetEventSlim();
    using var finished = new ManualResetEventSlim();
    bool warm = first is null;
    var reader = Task.Run(() =>
    {
        string? line;
        while ((line = pwsh.StandardOutput.ReadLine()) is not null)
        {
            if (line == "starting") { startupMs = launched.Elapsed.TotalMilliseconds; restMb = Status(pwsh.Id, "VmRSS:"); }
            else if (line == "warm") { warm = true; startupMs = launched.Elapsed.TotalMilliseconds; lost = 0; }
            else if (line.Contains("attached, waiting") && !warm) firstAttached.Set();
            else if (line.Contains("attached, waiting")) { attachMs = launched.Elapsed.TotalMilliseconds - startupMs; attached.Set(); }
            else if (line == "finished") finished.Set();
            else if (Regex.Match(line, @"(\d+) events (?:were lost in all|lost so far)") is { Success: true } m) Interlocked.Exchange(ref lost, Math.Max(Interlocked.Read(ref lost), long.Parse(m.Groups[1].Value)));
        }
    });
    if (first is not null)
    {
        if (!firstAttached.Wait(TimeSpan.FromSeconds(60))) { pwsh.Kill(); throw new InvalidOperationException($"{consumer}: pwsh did not attach its first trace in 60 s"); }
        first.Go();
        first.Done().Wait();
    }
    if (!attached.Wait(TimeSpan.FromSeconds(90))) { pwsh.Kill(); throw new InvalidOperationException($"{consumer}: pwsh did not attach in 90 s"); }
    double cpu0 = CpuSeconds(pwsh.Id);
    var go = Stopwatch.StartNew();
    gen.Go();
    var result = gen.Done().Result;
    // The trace ends at -Count, or at its -Duration with one warning that gives the total lost.
    if (!finished.Wait(TimeSpan.FromSeconds(45))) throw new InvalidOperationException($"{consumer}: pwsh did not finish in 45 s");
    var end = go.Elapsed;
    bool completed = Interlocked.Read(ref lost) == 0;
    double cpu = CpuSeconds(pwsh.Id) - cpu0, peak = PeakMb(pwsh.Id);
    pwsh.StandardInput.WriteLine();
    if (!pwsh.WaitForExit(30_000)) pwsh.Kill();
    reader.Wait(TimeSpan.FromSeconds(5));
    long received = completed ? count : result.Events - Interlocked.Read(ref lost);
    var row = new Row(consumer, workload, result.Events, received, Interlocked.Read(ref lost), Speed(genArgs, untracedNs, result.Ns),
        completed ? received / Math.Max(end.TotalSeconds, 1e-9) : 0, cpu * 1e6 / Math.Max(received, 1), attachMs, peak, !completed, restMb);
    Console.Error.WriteLine($"{row} (pwsh start to its first command: {startupMs:N0} ms)");
    return row;
}

Row Bpftrace(string consumer, string genArgs, Func<int, string> program, bool aggregate, long untracedNs, string workload)
{
    using var gen = Generator.Start(loadgen, genArgs);
    var start = new ProcessStartInfo("bpftrace") { RedirectStandardOutput = true, RedirectStandardError = true };
    start.ArgumentList.Add("-e");
    start.ArgumentList.Add(program(gen.Pid));
    var clock = Stopwatch.StartNew();
    using var bt = Children.Start(start);
    long lines = 0, lost = 0, counted = 0;
    TimeSpan last = TimeSpan.Zero;
    var go = new Stopwatch();
    using var attached = new ManualResetEventSlim();
    double attachMs = 0;
    var stderr = bt.StandardError.ReadToEndAsync();
    var reader = Task.Run(() =>
    {
        string? line;
        while ((line = bt.StandardOutput.ReadLine()) is not null)
        {
            if (!attached.IsSet) { if (line.StartsWith("Attaching")) { attachMs = clock.Elapsed.TotalMilliseconds; attached.Set(); } continue; }
            if (Regex.Match(line, @"^@n(?:\[\d+\])?:\s*(\d+)") is { Success: true } c) counted = long.Parse(c.Groups[1].Value); // @n: N, or @n[pid]: N
            else if (Regex.Match(line, @"Lost (\d+) events") is { Success: true } m) lost += long.Parse(m.Groups[1].Value);
            else if (line.Length > 0 && char.IsDigit(line[0])) { lines++; last = go.Elapsed; }
        }
    });
    if (!attached.Wait(TimeSpan.FromSeconds(30))) throw new InvalidOperationException("bpftrace did not attach: " + stderr.Result);
    Thread.Sleep(100); // bpftrace prints "Attaching" just before it attaches
    double cpu0 = CpuSeconds(bt.Id);
    go.Start();
    gen.Go();
    var result = gen.Done().Result;
    long seen = -1;
    while (!aggregate && Interlocked.Read(ref lines) != seen && Interlocked.Read(ref lines) + lost < result.Events) { seen = Interlocked.Read(ref lines); Thread.Sleep(300); }
    double cpu = CpuSeconds(bt.Id) - cpu0;
    double peak = PeakMb(bt.Id);
    Kill(bt.Id, 2); // SIGINT: bpftrace prints its maps and exits
    if (!bt.WaitForExit(10_000)) Kill(bt.Id, 2); // once a run's SIGINT went unanswered for 15 minutes
    if (!bt.WaitForExit(10_000)) bt.Kill();
    reader.Wait(TimeSpan.FromSeconds(30));
    foreach (Match m in Regex.Matches(stderr.Result, @"Lost (\d+) events")) lost += long.Parse(m.Groups[1].Value);
    long received = aggregate ? counted : lines;
    var row = new Row(consumer, workload, result.Events, received, lost, Speed(genArgs, untracedNs, result.Ns),
        aggregate ? 0 : received / Math.Max(last.TotalSeconds, 1e-9), cpu * 1e6 / Math.Max(received, 1), attachMs, peak, false);
    Console.Error.WriteLine(row);
    return row;
}

void RunScript(string script)
{
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    ps.AddScript(script).Invoke();
    if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error));
}

/// <summary>Every row starts from the process at rest: a full collection that also returns the memory the GC
/// keeps after earlier rows (it decommits lazily), then the peak (VmHWM) reset to what is resident now.</summary>
static void Settle()
{
    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { }
}

static double PeakMb(int pid) => Status(pid, "VmHWM:");

static double Status(int pid, string field)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        if (line.StartsWith(field)) return long.Parse(line[field.Length..].Trim().Split(' ')[0]) / 1024.0;
    return 0;
}

static double CpuSeconds(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime, stime in clock ticks
}

static void Kill(int pid, int signal) => Process.Start("kill", $"-{signal} {pid}")!.WaitForExit();

string BuildLoadgen()
{
    string output = Path.Combine(Path.GetTempPath(), "ebpfps-loadgen");
    string source = Path.Combine(AppContext.BaseDirectory, "loadgen.c");
    var cc = Process.Start("cc", $"-O2 -o {output} {source}")!;
    cc.WaitForExit();
    if (cc.ExitCode != 0) throw new InvalidOperationException("cc loadgen.c failed");
    return output;
}

/// <summary>How to start pwsh's engine itself: pwsh where PSHOME holds a native one, else dotnet with pwsh.dll
/// (the .NET tool's pwsh on PATH is a launcher whose child is the engine).</summary>
static string[] PwshEngine()
{
    string home = Capture("pwsh", "-NoLogo -NoProfile -Command $PSHOME").Trim();
    string native = Path.Combine(home, "pwsh");
    return File.Exists(native) ? new[] { native } : new[] { "dotnet", Path.Combine(home, "pwsh.dll") };
}

static string Capture(string file, string arguments)
{
    var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true };
    using var process = Process.Start(start)!;
    string output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    return output;
}

int Option(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : fallback;
}

static string RepoRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        if (File.Exists(Path.Combine(directory.FullName, "EbpfPS.sln"))) return directory.FullName;
    throw new DirectoryNotFoundException("EbpfPS.sln not found above " + AppContext.BaseDirectory);
}

/// <summary>Traced speed: untraced / traced time; for paced runs (untracedNs 0) the planned duration / the
/// actual one, i.e. whether the generator kept its pace.</summary>
static double Speed(string genArgs, long untracedNs, long ns)
{
    if (untracedNs > 0) return (double)untracedNs / ns;
    var parts = genArgs.Split(' ');
    return parts[0] == "rate" ? double.Parse(parts[2]) * 1e9 / ns : 0;
}

/// <param name="RestMb">For pwsh rows: the process's memory at rest with the module imported, before the trace.</param>
record Row(string Consumer, string Workload, long Generated, long Received, long Lost, double Speed, double SinkRate,
    double CpuPerEventUs, double AttachMs, double PeakMb, bool ReceivedDerived, double RestMb = 0);

/// <summary>loadgen: started waiting ("ready PID"), released by Go, reports "done EVENTS NS".</summary>
sealed class Generator : IDisposable
{
    private readonly Process _process;
    internal int Pid { get; }
    private Task<(long Events, long Ns)>? _done;

    private Generator(Process process, int pid) { _process = process; Pid = pid; }

    internal static Generator Start(string loadgen, string arguments)
    {
        var start = new ProcessStartInfo(loadgen, arguments) { RedirectStandardInput = true, RedirectStandardOutput = true };
        var process = Children.Start(start);
        string ready = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("loadgen did not start");
        return new Generator(process, int.Parse(ready.Split(' ')[1]));
    }

    internal void Go()
    {
        _process.StandardInput.WriteLine("go");
        _process.StandardInput.Flush();
        _done = Task.Run(() =>
        {
            string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("loadgen ended early");
            var parts = line.Split(' ');
            _process.WaitForExit();
            return (long.Parse(parts[1]), long.Parse(parts[2]));
        });
    }

    internal Task<(long Events, long Ns)> Done() => _done ?? throw new InvalidOperationException("not started");

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}

/// <summary>The load generators, pwsh engines and bpftrace processes this benchmark starts: ended with it, whether it
/// finishes, fails or is stopped (Ctrl-C, SIGTERM), so that no flood or bpftrace outlives it.</summary>
static class Children
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Process, bool> Running = new();

    internal static Process Start(ProcessStartInfo start)
    {
        var process = Process.Start(start)!;
        Running[process] = true;
        process.Exited += (_, _) => Running.TryRemove(process, out _);
        process.EnableRaisingEvents = true;
        return process;
    }

    internal static void EndOnExit()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => EndAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => EndAll();
        Console.CancelKeyPress += (_, _) => EndAll();
    }

    private static void EndAll()
    {
        foreach (var process in Running.Keys)
            try { if (!process.HasExited) process.Kill(); } catch (InvalidOperationException) { }
    }
}
