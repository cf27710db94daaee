using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using EbpfPS.Core;
using EbpfPS.Introspection;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>Programs, maps and links as Get-BpfProgram/Map/Link list them, compared with bpftool's JSON
    /// of the same objects; system-wide listings compared with bpftool's.</summary>
    public class IntrospectionTests : IClassFixture<KernelLeakCheck>
    {
        [KernelFact]
        public void A_map_is_described_as_bpftool_describes_it_pins_included()
        {
            using var pins = new PinDirectory();
            Bpftool.Run($"map create {pins["lpm"]} type lpm_trie key 8 value 4 entries 32 name ebpfps_lpm flags 1");
            uint id = Bpftool.Json($"map show pinned {pins["lpm"]}").GetProperty("id").GetUInt32();

            var info = Assert.Single(LoadedObjects.Maps(PinnedObjects.Scan()), m => m.Id == id);
            var bpftool = Bpftool.Json($"map show id {id} -f");
            Assert.Equal(bpftool.GetProperty("type").GetString(), info.Type);
            Assert.Equal(bpftool.GetProperty("name").GetString(), info.Name);
            Assert.Equal(bpftool.GetProperty("flags").GetUInt32(), info.Flags);
            Assert.Equal(new[] { "no_prealloc" }, info.FlagNames);
            Assert.Equal(bpftool.GetProperty("bytes_key").GetUInt32(), info.KeySize);
            Assert.Equal(bpftool.GetProperty("bytes_value").GetUInt32(), info.ValueSize);
            Assert.Equal(bpftool.GetProperty("max_entries").GetUInt32(), info.MaxEntries);
            Assert.Equal(bpftool.GetProperty("bytes_memlock").GetUInt64(), info.MemoryLockBytes);
            Assert.Equal(bpftool.GetProperty("frozen").GetInt32() != 0, info.Frozen);
            Assert.Equal(bpftool.GetProperty("pinned").EnumerateArray().Select(p => p.GetString()), info.PinnedPaths);
            Assert.Equal(pins["lpm"], Assert.Single(info.PinnedPaths));
        }

        [KernelFact]
        public void A_program_is_described_as_bpftool_describes_it()
        {
            var before = DateTime.Now;
            using var obj = FixtureObjects.Load("links");
            var after = DateTime.Now;
            foreach (var program in obj.Programs())
            {
                var info = LoadedObjects.Program(IdOf(program.Fd))!;
                var bpftool = Bpftool.Json($"prog show id {info.Id}");
                Assert.Equal(bpftool.GetProperty("type").GetString(), info.Type);
                Assert.Equal(bpftool.GetProperty("name").GetString(), info.Name);
                Assert.Equal(bpftool.GetProperty("tag").GetString(), info.Tag);
                Assert.Equal(bpftool.GetProperty("gpl_compatible").GetBoolean(), info.GplCompatible);
                Assert.Equal(bpftool.GetProperty("uid").GetUInt32(), info.OwnerUserId);
                Assert.Equal(bpftool.GetProperty("bytes_xlated").GetUInt32(), info.TranslatedBytes);
                Assert.Equal(bpftool.GetProperty("jited").GetBoolean(), info.Jited);
                Assert.Equal(bpftool.GetProperty("bytes_jited").GetUInt32(), info.JitedBytes);
                Assert.Equal(bpftool.GetProperty("bytes_memlock").GetUInt64(), info.MemoryLockBytes);
                Assert.Equal(bpftool.GetProperty("btf_id").GetUInt32(), info.BtfId);
                var mapIds = bpftool.TryGetProperty("map_ids", out var ids) ? ids.EnumerateArray().Select(i => i.GetUInt32()) : Array.Empty<uint>();
                Assert.Equal(mapIds, info.MapIds);
                // loaded while Load ran (bpftool's loaded_at is whole seconds, rounded its own way)
                Assert.InRange(info.LoadedAt, before, after);
            }
        }

        [KernelFact]
        public void Links_are_described_as_bpftool_describes_them()
        {
            using var obj = FixtureObjects.Load("links");
            obj.AttachAll();
            var programIds = obj.Programs().ToDictionary(p => IdOf(p.Fd), p => p.Name);
            var ours = LoadedObjects.Links().Where(l => programIds.ContainsKey(l.ProgramId)).ToDictionary(l => programIds[l.ProgramId]);
            var bpftool = Bpftool.Json("link list").EnumerateArray().Where(l => programIds.ContainsKey(l.GetProperty("prog_id").GetUInt32()))
                .ToDictionary(l => programIds[l.GetProperty("prog_id").GetUInt32()]);

            // A tracepoint's program is attached through a bpf_link (perf_event) from 5.15 on; before, by an ioctl on
            // its perf event, which no link lists.
            bool perfLinks = Environment.OSVersion.Version >= new Version(5, 15);
            Assert.Equal(perfLinks ? new[] { "fx_raw_tp", "fx_tp_btf", "fx_tracepoint" } : new[] { "fx_raw_tp", "fx_tp_btf" }, ours.Keys.OrderBy(k => k));
            foreach (var (name, link) in ours)
            {
                Assert.Equal(bpftool[name].GetProperty("id").GetUInt32(), link.Id);
                Assert.Equal(bpftool[name].GetProperty("type").GetString(), link.Type);
            }
            Assert.Equal("raw_tracepoint", ours["fx_raw_tp"].Type);
            Assert.Equal(bpftool["fx_raw_tp"].GetProperty("tp_name").GetString(), ours["fx_raw_tp"].Target);
            Assert.Equal("sched_process_exec", ours["fx_raw_tp"].Target);
            Assert.Equal("raw_tracepoint", ours["fx_tp_btf"].Type); // libbpf attaches tp_btf through raw_tracepoint_open
            Assert.Equal(bpftool["fx_tp_btf"].GetProperty("tp_name").GetString(), ours["fx_tp_btf"].Target);
            Assert.Equal("sched_process_fork", ours["fx_tp_btf"].Target);
            if (!perfLinks) return;
            Assert.Equal("perf_event", ours["fx_tracepoint"].Type);
            if (Environment.OSVersion.Version >= new Version(6, 6))
            {
                Assert.Equal("tracepoint", ours["fx_tracepoint"].AttachType);
                Assert.Equal("sys_enter_getppid", ours["fx_tracepoint"].Target);
            }
            else // perf event links describe what they attach to since 6.6; before, the kernel tells nothing
                Assert.Equal(("", ""), (ours["fx_tracepoint"].AttachType, ours["fx_tracepoint"].Target));
        }

        [KernelFact]
        public void System_wide_listings_hold_what_bpftool_lists()
        {
            using var obj = FixtureObjects.Load("maps"); // at least one program and several maps
            foreach (var (kind, bpftoolKind) in new[] { (BpfObjectKind.Program, "prog"), (BpfObjectKind.Map, "map"), (BpfObjectKind.Link, "link") })
            {
                var before = Ids(Bpftool.Json($"{bpftoolKind} list"));
                var ours = kind switch
                {
                    BpfObjectKind.Program => LoadedObjects.Programs().Select(p => (p.Id, p.Type)).ToList(),
                    BpfObjectKind.Map => LoadedObjects.Maps().Select(m => (m.Id, m.Type)).ToList(),
                    _ => LoadedObjects.Links().Select(l => (l.Id, l.Type)).ToList(),
                };
                var after = Ids(Bpftool.Json($"{bpftoolKind} list"));
                // Other processes may load and unload meanwhile: what bpftool saw before and after must be ours too.
                foreach (var (id, type) in before.Where(b => after.ContainsKey(b.Key)).Select(b => (b.Key, b.Value)))
                    Assert.Contains((id, type), ours);
            }
        }

        [KernelFact]
        public void Listing_reading_and_pin_scans_close_every_fd_they_open()
        {
            using var pins = new PinDirectory();
            FixtureObjects.LoadWithBpftool("maps", pins["progs"], pins["maps"]);
            int before = BpfFds();
            for (int i = 0; i < 3; i++)
            {
                _ = LoadedObjects.Programs(PinnedObjects.Scan()).Count() + LoadedObjects.Maps().Count() + LoadedObjects.Links().Count();
                using var map = Introspection.Maps.KernelMap.OpenPinned($"{pins["maps"]}/flows");
                _ = Introspection.Maps.MapEntries.Read(map).Count();
            }
            Assert.Equal(before, BpfFds()); // no finalizer has run: every fd was closed when its owner was done
        }

        private static int BpfFds() => KernelObjects.HeldByThisProcess().Count;

        private static Dictionary<uint, string> Ids(JsonElement list) =>
            list.EnumerateArray().ToDictionary(o => o.GetProperty("id").GetUInt32(), o => o.GetProperty("type").GetString()!);

        internal static uint IdOf(int fd) => ObjectInfo.IdOf(fd);
    }
}
