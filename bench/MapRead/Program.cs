using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Management.Automation;
using System.Text;
using System;
using EbpfPS.Commands;
using EbpfPS.Introspection.Maps;
using EbpfPS.Core.Objects;
using EbpfPS.Core;

// Usage (root, from the repository): dotnet run -c Release --project bench/MapRead -- [--entries N] [--runs N] [--short]
// Fills a BTF-described hash map with N entries, then times each way of reading all of them, best of R runs:
// bpftool map dump (JSON and text, a separate process), the engine alone (raw, decoded), and Read-BpfMap in
// a PowerShell runspace (to Out-Null, and stopped after 10 entries, as Select-Object -First 10 does, to show
// that it streams).
bool quick = args.Contains("--short"); // a few entries, one run: tests/Pester/Benchmarks.Tests.ps1
int entries = Option("--entries", quick ? 1_000 : 100_000);
int runs = Option("--runs", quick ? 1 : 3);
if (!Privileges.CanTrace(Privileges.EffectiveCapabilities())) { Console.Error.WriteLine("Run as root."); return 1; }

using var obj = BpfObject.Open(Read("bench"), "bench");
obj.Load();
using var map = KernelMap.Borrow(obj.Map("bench_flows").Fd);
var codec = MapCodec.For(map.Info);
var fill = Stopwatch.StartNew();
for (uint i = 0; i < entries; i++)
    map.Update(BitConverter.GetBytes(i), codec.EncodeValue(new Dictionary<string, object?> { ["packets"] = i, ["bytes"] = 1500UL * i, ["pid"] = i % 32768, ["comm"] = $"proc{i % 1000}" }), MapWriteMode.Any);
Console.WriteLine($"Filled map {map.Info.Id} with {entries:N0} entries of {map.Info.KeySize}+{map.Info.ValueSize} bytes in {fill.Elapsed.TotalMilliseconds:N0} ms (one update per entry, encoded through BTF).");
Console.WriteLine($"{Environment.ProcessorCount} CPUs, kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}\n");

using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
runspace.Open();
RunScript(runspace, $"Import-Module '{Path.Combine(RepoRoot(), "out", "EbpfPS", "EbpfPS.psd1")}'");

var results = new List<(string Method, TimeSpan Best, long Count, double AllocatedMb)>
{
    Time("bpftool map dump -j (to /dev/null)", () => Bpftool($"map dump id {map.Info.Id} -j")),
    Time("bpftool map dump (text, to /dev/null)", () => Bpftool($"map dump id {map.Info.Id}")),
    Time("engine: batch lookup, raw bytes", () => MapEntries.Read(map).LongCount()),
    Time("engine: key by key (get_next_key), raw bytes", () => MapEntries.Read(map, entriesPerBatch: 0).LongCount()),
    Time("engine: batch lookup + BTF decode to PSObjects", () => MapEntries.Read(map).Select(e => MapEntryDecoding.Decode(map, codec, e)).LongCount()),
    Time("Read-BpfMap -Id N, piped to Out-Null", () => RunScript(runspace, $"Read-BpfMap -Id {map.Info.Id} | Out-Null; {entries}")),
    Time("Read-BpfMap -Id N, stopped after 10 entries", () => FirstEntries(runspace, map.Info.Id, 10)),
};

Console.WriteLine("| Method | Best of " + runs + " | Entries/s | Allocated |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var (method, best, count, allocated) in results)
    Console.WriteLine($"| {method} | {best.TotalMilliseconds:N0} ms | {(count == entries ? (count / best.TotalSeconds).ToString("N0") : "-")} | {(double.IsNaN(allocated) ? "-" : $"{allocated:N0} MB")} |");
return 0;

(string, TimeSpan, long, double) Time(string method, Func<long> read)
{
    var best = TimeSpan.MaxValue;
    long count = 0;
    double allocated = 0;
    for (int run = 0; run < runs; run++)
    {
        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        count = read();
        clock.Stop();
        allocated = (GC.GetTotalAllocatedBytes(precise: true) - before) / 1048576.0;
        if (clock.Elapsed < best) best = clock.Elapsed;
    }
    if (method.StartsWith("bpftool")) allocated = double.NaN; // another process
    if (count != entries && !method.Contains("stopped")) throw new InvalidOperationException($"{method} read {count} entries, not {entries}.");
    Console.Error.WriteLine($"{method}: {best.TotalMilliseconds:N0} ms");
    return (method, best, count, allocated);
}

long Bpftool(string arguments)
{
    var start = new ProcessStartInfo("bpftool", arguments) { RedirectStandardOutput = true };
    using var process = Process.Start(start)!;
    var buffer = new char[1 << 16];
    while (process.StandardOutput.Read(buffer, 0, buffer.Length) > 0) { } // read and drop, as > /dev/null would
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"bpftool {arguments} failed");
    return entries;
}

long RunScript(Runspace runspace, string script)
{
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    var output = ps.AddScript(script).Invoke();
    if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error));
    return output.Count > 0 && output[^1]?.BaseObject is int n ? n : 0;
}

// Runs Read-BpfMap and stops the pipeline once it has written `wanted` entries (what Select-Object -First does).
long FirstEntries(Runspace runspace, uint id, int wanted)
{
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    ps.AddCommand("Read-BpfMap").AddParameter("Id", new[] { id });
    using var output = new PSDataCollection<PSObject>();
    using var enough = new System.Threading.ManualResetEventSlim();
    output.DataAdded += (_, _) => { if (output.Count >= wanted) enough.Set(); };
    var invocation = ps.BeginInvoke<PSObject, PSObject>(null, output);
    System.Threading.WaitHandle.WaitAny(new[] { enough.WaitHandle, invocation.AsyncWaitHandle });
    ps.Stop();
    return Math.Min(output.Count, wanted);
}

int Option(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : fallback;
}

static byte[] Read(string name)
{
    using var stream = System.Reflection.Assembly.GetExecutingAssembly().GetManifestResourceStream($"EbpfPS.Bench.{name}.bpf.o")!;
    var bytes = new byte[stream.Length];
    stream.ReadExactly(bytes);
    return bytes;
}

static string RepoRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        if (File.Exists(Path.Combine(directory.FullName, "EbpfPS.sln"))) return directory.FullName;
    throw new DirectoryNotFoundException("EbpfPS.sln not found above " + AppContext.BaseDirectory);
}
