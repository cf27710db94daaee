using System;
using System.Collections;
using System.Collections.Specialized;
using System.Linq;
using EbpfPS.Core;
using EbpfPS.Core.Btf;
using EbpfPS.Introspection.Maps;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>Maps that bpftool created and pinned, then exited: read by path, written and cleared, with
    /// bpftool as the witness of every change. Every pin lives in a directory the test removes.</summary>
    public class PinnedMapTests : IClassFixture<KernelLeakCheck>
    {
        [KernelFact]
        public void A_map_without_btf_reads_as_bytes_after_its_creator_exited()
        {
            using var pins = new PinDirectory();
            Bpftool.Run($"map create {pins["raw"]} type hash key 4 value 8 entries 16 name ebpfps_raw");
            Bpftool.Run($"map update pinned {pins["raw"]} key hex 0a 00 00 01 value hex 01 02 03 04 05 06 07 08");
            Bpftool.Run($"map update pinned {pins["raw"]} key hex 0a 00 00 02 value hex ff ff ff ff ff ff ff 7f");

            using var map = KernelMap.OpenPinned(pins["raw"]);
            Assert.Equal(0u, map.Info.BtfId);
            Assert.Equal("ebpfps_raw", map.Info.Name);
            var codec = MapCodec.For(map.Info);
            var dump = MapReadTests.Dump(map.Info.Id);
            var entries = MapEntries.Read(map).ToList();

            Assert.Equal(2, entries.Count);
            foreach (var entry in entries)
            {
                var dumped = dump[Convert.ToHexString(entry.Key).ToLowerInvariant()];
                Assert.Equal(MapReadTests.HexOf(dumped.GetProperty("key")), Convert.ToHexString(Assert.IsType<byte[]>(codec.DecodeKey(entry.Key))).ToLowerInvariant());
                Assert.Equal(MapReadTests.HexOf(dumped.GetProperty("value")), Convert.ToHexString(Assert.IsType<byte[]>(codec.DecodeValue(entry.Value))).ToLowerInvariant());
            }
        }

        [KernelFact]
        public void Writes_and_removals_of_a_map_without_btf_are_seen_by_bpftool()
        {
            using var pins = new PinDirectory();
            Bpftool.Run($"map create {pins["raw"]} type hash key 4 value 8 entries 16 name ebpfps_raw");
            using var map = KernelMap.OpenPinned(pins["raw"]);
            var codec = MapCodec.For(map.Info);

            map.Update(codec.EncodeKey(258), codec.EncodeValue("01 02 03 04 05 06 07 08"), MapWriteMode.Any);
            map.Update(codec.EncodeKey("0a000001"), codec.EncodeValue(-1), MapWriteMode.Any);

            var dump = MapReadTests.Dump(map.Info.Id);
            Assert.Equal("0102030405060708", MapReadTests.HexOf(dump["02010000"].GetProperty("value")));
            Assert.Equal("ffffffffffffffff", MapReadTests.HexOf(dump["0a000001"].GetProperty("value")));

            Assert.True(map.Delete(codec.EncodeKey(258)));
            Assert.False(map.Delete(codec.EncodeKey(258)));
            Assert.Equal(new[] { "0a000001" }, MapReadTests.Dump(map.Info.Id).Keys);
            var e = Assert.Throws<BpfException>(() => codec.EncodeKey("not hex"));
            Assert.Equal(BpfErrorIds.BpfMapKeyInvalid, e.ErrorId);
            Assert.Contains("no BTF", e.Hint);
        }

        [KernelFact]
        public void A_pinned_map_with_btf_decodes_after_bpftool_loaded_it_and_exited()
        {
            using var pins = new PinDirectory();
            FixtureObjects.LoadWithBpftool("maps", pins["progs"], pins["maps"]);
            Bpftool.Run($"map update pinned {pins["maps"]}/flows key hex 0a 00 00 01 50 00 06 00 value {Bpftool.HexArgument(new byte[96])}");
            Bpftool.Run($"map update pinned {pins["maps"]}/names key hex 62 61 73 68 00 00 00 00 00 00 00 00 00 00 00 00 value hex 07 00 00 00");

            using var flows = KernelMap.OpenPinned($"{pins["maps"]}/flows");
            var codec = MapCodec.For(flows.Info);
            var entry = MapEntries.Read(flows).Single();
            var key = Assert.IsType<BtfRecord>(codec.DecodeKey(entry.Key));
            Assert.Equal(0x0100000au, key["saddr"]);
            Assert.Equal((ushort)80, key["dport"]);
            Assert.Equal((byte)6, key["proto"]);
            var dumped = MapReadTests.Dump(flows.Info.Id).Single().Value.GetProperty("formatted");
            BpftoolValues.AssertSame(dumped.GetProperty("key"), key);
            BpftoolValues.AssertSame(dumped.GetProperty("value"), codec.DecodeValue(entry.Value));

            using var names = KernelMap.OpenPinned($"{pins["maps"]}/names");
            var namesCodec = MapCodec.For(names.Info);
            Assert.Equal("bash", namesCodec.DecodeKey(MapEntries.Read(names).Single().Key));
        }

        [KernelFact]
        public void Writes_through_btf_are_what_bpftool_reads_back()
        {
            using var obj = FixtureObjects.Load("maps");
            using var flows = KernelMap.Borrow(obj.Map("flows").Fd);
            using var routes = KernelMap.Borrow(obj.Map("routes4").Fd);
            using var cpuStats = KernelMap.Borrow(obj.Map("cpu_stats").Fd);
            var codec = MapCodec.For(flows.Info);

            var key = Fields(("saddr", 16777226), ("dport", 443), ("proto", 6));
            var value = Fields(("packets", 12), ("delta", -3), ("active", true), ("comm", "curl"), ("mac", "02:fc:00:00:00:01"),
                ("color", "FX_GREEN"), ("points", new object[] { Fields(("x", -1), ("y", 2)) }), ("low", 7), ("flag_a", 5), ("flag_b", 30),
                ("raw", Fields(("as_u32", 0xdeadbeef))), ("big", "0x1234567890abcdef1234"));
            flows.Update(codec.EncodeKey(key), codec.EncodeValue(value), MapWriteMode.Any);

            var formatted = MapReadTests.Dump(flows.Info.Id).Single().Value.GetProperty("formatted");
            var bpftoolValue = formatted.GetProperty("value");
            Assert.Equal(443, formatted.GetProperty("key").GetProperty("dport").GetInt32());
            Assert.Equal(12, bpftoolValue.GetProperty("packets").GetInt64());
            Assert.Equal(-3, bpftoolValue.GetProperty("delta").GetInt64());
            Assert.True(bpftoolValue.GetProperty("active").GetBoolean());
            Assert.Equal("curl", bpftoolValue.GetProperty("comm").GetString());
            Assert.Equal(new[] { 2, 252, 0, 0, 0, 1 }, bpftoolValue.GetProperty("mac").EnumerateArray().Select(b => b.GetInt32()));
            Assert.Equal("FX_GREEN", bpftoolValue.GetProperty("color").GetString());
            Assert.Equal(-1, bpftoolValue.GetProperty("points")[0].GetProperty("x").GetInt32());
            Assert.Equal(0, bpftoolValue.GetProperty("points")[1].GetProperty("x").GetInt32());
            Assert.Equal(7, bpftoolValue.GetProperty("").GetProperty("low").GetInt32());
            Assert.Equal("0x5", bpftoolValue.GetProperty("flag_a").GetString());
            Assert.Equal("0x1e", bpftoolValue.GetProperty("flag_b").GetString());
            Assert.Equal(0xdeadbeef, bpftoolValue.GetProperty("raw").GetProperty("as_u32").GetUInt32());
            Assert.Equal("0x1234567890abcdef1234", bpftoolValue.GetProperty("big").GetString());

            var routeCodec = MapCodec.For(routes.Info);
            routes.Update(routeCodec.EncodeKey("10.20.0.0/16"), routeCodec.EncodeValue(4), MapWriteMode.Any);
            var route = MapReadTests.Dump(routes.Info.Id).Single().Value.GetProperty("formatted");
            Assert.Equal(16, route.GetProperty("key").GetProperty("prefixlen").GetInt32());
            Assert.Equal(new[] { 10, 20, 0, 0 }, route.GetProperty("key").GetProperty("addr").EnumerateArray().Select(b => b.GetInt32()));

            var statsCodec = MapCodec.For(cpuStats.Info);
            var perCpu = Enumerable.Range(0, cpuStats.Cpus).Select(cpu => statsCodec.EncodeValue(Fields(("packets", cpu + 1), ("bytes", 100)))).ToList();
            cpuStats.Update(statsCodec.EncodeKey(9), cpuStats.ValueBuffer(perCpu), MapWriteMode.Any);
            var values = MapReadTests.Dump(cpuStats.Info.Id).Single().Value.GetProperty("formatted").GetProperty("values").EnumerateArray().ToList();
            Assert.Equal(Enumerable.Range(1, cpuStats.Cpus), values.Select(v => v.GetProperty("value").GetProperty("packets").GetInt32()));

            // The kernel refuses to create what exists (an LPM trie honours BPF_NOEXIST only since 6.13 and its backports).
            var exists = Assert.Throws<BpfException>(() => flows.Update(codec.EncodeKey(key), codec.EncodeValue(value), MapWriteMode.CreateOnly));
            Assert.Equal(BpfErrorKind.WriteFailed, exists.Kind);
            Assert.True(routes.Delete(routeCodec.EncodeKey("10.20.0.0/16")));
            Assert.Empty(MapReadTests.Dump(routes.Info.Id));
        }

        [KernelFact]
        public void A_frozen_map_refuses_writes_and_removals_with_a_hint()
        {
            using var pins = new PinDirectory();
            Bpftool.Run($"map create {pins["frozen"]} type hash key 4 value 4 entries 4 name ebpfps_frozen");
            Bpftool.Run($"map update pinned {pins["frozen"]} key hex 01 00 00 00 value hex 02 00 00 00");
            Bpftool.Run($"map freeze pinned {pins["frozen"]}");

            using var map = KernelMap.OpenPinned(pins["frozen"]);
            Assert.True(map.Info.Frozen);
            Assert.Equal(1, Bpftool.Json($"map show pinned {pins["frozen"]}").GetProperty("frozen").GetInt32());
            var write = Assert.Throws<BpfException>(() => map.Update(BitConverter.GetBytes(1), BitConverter.GetBytes(3), MapWriteMode.Any));
            Assert.Equal(BpfErrorKind.MapReadOnly, write.Kind);
            Assert.Contains("frozen", write.Message);
            Assert.Equal(BpfErrorKind.MapReadOnly, Assert.Throws<BpfException>(() => map.Delete(BitConverter.GetBytes(1))).Kind);
            Assert.Single(MapEntries.Read(map)); // still readable
        }

        [KernelFact]
        public void Nothing_pinned_at_a_path_and_a_pinned_program_are_told_apart()
        {
            using var pins = new PinDirectory();
            var missing = Assert.Throws<BpfException>(() => KernelMap.OpenPinned(pins["nothing"]));
            Assert.Equal(BpfErrorIds.BpfPinNotFound, missing.ErrorId);
            Assert.Equal(BpfErrorIds.BpfMapNotFound, Assert.Throws<BpfException>(() => KernelMap.Open(uint.MaxValue)).ErrorId);

            FixtureObjects.LoadWithBpftool("maps", pins["progs"]);
            var program = Assert.Throws<BpfException>(() => KernelMap.OpenPinned($"{pins["progs"]}/fx_noop"));
            Assert.Contains("is a pinned program, not a map", program.Message);
        }

        private static OrderedDictionary Fields(params (string Name, object Value)[] fields)
        {
            var result = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in fields) result[name] = value;
            return result;
        }
    }
}
