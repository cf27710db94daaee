using System.IO;
using System.Linq;
using EbpfPS.Introspection.Features;
using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>Each feature answer checked against an independent witness: attaching a real kprobe and fentry
    /// program through libbpf, bpftool's own feature probe, the files the kernel exposes.</summary>
    public class FeatureTests : IClassFixture<KernelLeakCheck>
    {
        private static readonly KernelConfig Config = KernelConfig.Read();

        /// <summary>Attaching the fixture's program through libbpf: null when it worked, else the failure.</summary>
        private static BpfException? Attach(string program)
        {
            using var obj = BpfObject.Open(FixtureObjects.Read("probes"), "probes");
            foreach (var other in obj.OpenPrograms().Where(p => p.Name != program)) other.SetAutoload(false);
            try
            {
                obj.Load();
                obj.Attach(obj.Program(program));
                return null;
            }
            catch (BpfException e) { return e; }
        }

        [KernelFact]
        public void Kprobes_are_reported_as_attaching_a_kprobe_shows()
        {
            var failure = Attach("fx_kprobe");
            var feature = KernelFeatures.Kprobes(Config);
            Assert.Equal(failure is null, feature.Supported);
            if (failure is not null)
            {
                Assert.Contains("no kprobe event source", feature.Detail);
                if (Config.IsKnown && Config.Missing("CONFIG_KPROBES").Length > 0) Assert.Contains("CONFIG_KPROBES", feature.Detail);
            }
        }

        [KernelFact]
        public void Fentry_is_reported_as_attaching_an_fentry_program_shows()
        {
            var failure = Attach("fx_fentry");
            var feature = KernelFeatures.Fentry(Config);
            Assert.Equal(failure is null, feature.Supported);
            if (failure is not null)
                Assert.Contains(Interop.Errno.Name(failure.Errno), feature.Detail); // e.g. EPERM on this VM's kernel
        }

        [KernelFact]
        public void Program_and_map_types_agree_with_bpftool_feature_probe()
        {
            var bpftool = Bpftool.Json("feature probe kernel");
            var programTypes = bpftool.GetProperty("program_types");
            var mapTypes = bpftool.GetProperty("map_types");
            var tp = KernelFeatures.BtfTracepoints(Config);
            var fentry = KernelFeatures.Fentry(Config);
            foreach (var feature in KernelFeatures.ProgramTypes(Config, tp, fentry).Where(f => f.Supported is not null))
                // bpftool asks libbpf, which probes tracing and LSM with a fentry-style load only: ours are wider there.
                if (feature.Name is not ("tracing" or "lsm") && programTypes.TryGetProperty($"have_{feature.Name}_prog_type", out var have))
                    Assert.True(have.GetBoolean() == feature.Supported, $"program type {feature.Name}: bpftool {have}, ours {feature.Supported}");
            foreach (var feature in KernelFeatures.MapTypes().Where(f => f.Supported is not null))
                if (mapTypes.TryGetProperty($"have_{feature.Name}_map_type", out var have))
                    Assert.True(have.GetBoolean() == feature.Supported, $"map type {feature.Name}: bpftool {have}, ours {feature.Supported}");
        }

        [KernelFact]
        public void Tracing_programs_count_as_supported_when_tp_btf_loads_even_if_fentry_does_not()
        {
            var tp = KernelFeatures.BtfTracepoints(Config);
            var fentry = KernelFeatures.Fentry(Config);
            var tracing = KernelFeatures.ProgramTypes(Config, tp, fentry).Single(f => f.Name == "tracing");
            Assert.Equal(tp.Supported == true || fentry.Supported == true, tracing.Supported);
            Assert.Contains("tp_btf", tracing.Detail);
        }

        [KernelFact]
        public void Filesystems_btf_jit_and_xdp_are_reported_as_the_system_shows_them()
        {
            var all = KernelFeatures.All().Where(f => f.Category == KernelFeatures.Kernel).ToDictionary(f => f.Name);
            Assert.Equal(File.Exists("/sys/kernel/btf/vmlinux"), all["BTF"].Supported);
            Assert.Equal(File.ReadAllText("/proc/mounts").Contains(" bpf "), all["BpfFs"].Supported);
            Assert.Equal(File.ReadAllText("/proc/mounts").Contains(" tracefs "), all["TraceFs"].Supported);
            Assert.Equal(Directory.Exists("/sys/bus/event_source/devices/uprobe"), all["Uprobes"].Supported);
            Assert.Equal(true, all["Privileges"].Supported);
            Assert.Equal(true, all["BatchLookup"].Supported);
            using (var obj = FixtureObjects.Load("maps"))
            {
                var program = Bpftool.Json($"prog show id {IntrospectionTests.IdOf(obj.Programs().First().Fd)}");
                Assert.Equal(program.GetProperty("jited").GetBoolean(), all["JIT"].Supported);
            }
            if (all["XdpNative"].Supported is not null)
                foreach (var name in Directory.GetDirectories("/sys/class/net").Select(Path.GetFileName))
                    Assert.Contains(name!, all["XdpNative"].Detail);
        }

        /// <summary>The README's table of tested kernels says what Get-BpfFeature answers on each of them:
        /// the row of the running kernel (major.minor) is compared column by column.</summary>
        [KernelFact]
        public void The_readmes_row_for_this_kernel_agrees_with_the_features_probed()
        {
            var lines = File.ReadAllLines(Path.Combine(ModuleSession.RepoRoot, "README.md"));
            static string[] Cells(string line) => line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            int header = System.Array.FindIndex(lines, l => l.StartsWith("| Kernel | Tested as |", System.StringComparison.Ordinal));
            Assert.True(header >= 0, "README.md has no table of tested kernels ('| Kernel | Tested as | ...')");
            var columns = Cells(lines[header]);
            var version = System.Environment.OSVersion.Version;
            string kernel = $"{version.Major}.{version.Minor}";
            var row = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).Select(Cells).FirstOrDefault(c => c[0] == kernel);
            Assert.SkipWhen(row is null, $"kernel {kernel} is not in the README's table of tested kernels");

            var probed = KernelFeatures.All().Where(f => f.Category == KernelFeatures.Kernel).ToDictionary(f => f.Name);
            for (int i = 2; i < columns.Length; i++)
                Assert.True((row![i] == "yes") == (probed[columns[i]].Supported == true),
                    $"README says {columns[i]} = {row[i]} on {kernel}; Get-BpfFeature: {probed[columns[i]].Supported} ({probed[columns[i]].Detail})");
        }
    }
}
