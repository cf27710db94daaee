using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text;
using System;
using EbpfPS.Core.Btf;
using EbpfPS.Introspection.Features;
using EbpfPS.Introspection.Maps;
using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>Maps of the fixture object filled with known entries through the raw syscall, read back through
    /// MapEntries and MapCodec, and compared entry by entry, field by field, with `bpftool map dump`.</summary>
    public class MapReadTests : IClassFixture<KernelLeakCheck>
    {
        private static KernelMap Open(BpfObject obj, string name) => KernelMap.Borrow(obj.Map(name).Fd);

        /// <summary>bpftool's dump of a map, by the hex of each key.</summary>
        internal static Dictionary<string, JsonElement> Dump(uint id)
        {
            var entries = new Dictionary<string, JsonElement>();
            foreach (var entry in Bpftool.Json($"map dump id {id}").EnumerateArray())
                entries[HexOf(entry.GetProperty("key"))] = entry;
            return entries;
        }

        internal static string HexOf(JsonElement bytes) => string.Concat(bytes.EnumerateArray().Select(b => b.GetString()![2..]));

        private static string HexOf(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

        private static int Offset(BtfSpec spec, string structName, string member)
        {
            var type = (BtfComposite)spec[spec.Find<BtfComposite>(structName)!.Value];
            return type.Members.Single(m => m.Name == member).BitOffset / 8;
        }

        /// <summary>Random bytes, except where a field must hold something bpftool prints as what it is:
        /// 0 or 1 in a bool, printable text in a char array, a known enumerator.</summary>
        private static byte[] FlowValue(BtfSpec spec, Random random, int size)
        {
            var value = new byte[size];
            random.NextBytes(value);
            value[Offset(spec, "fx_flow_value", "active")] = (byte)random.Next(2);
            var comm = Encoding.ASCII.GetBytes("proc" + random.Next(1000));
            var commField = value.AsSpan(Offset(spec, "fx_flow_value", "comm"), 16);
            commField.Clear();
            comm.CopyTo(commField);
            BitConverter.TryWriteBytes(value.AsSpan(Offset(spec, "fx_flow_value", "color")), random.Next(3));
            return value;
        }

        [KernelFact]
        public void A_hash_map_of_structs_reads_as_bpftool_formats_it()
        {
            using var obj = FixtureObjects.Load("maps");
            using var map = Open(obj, "flows");
            var spec = BtfLoader.FromLibbpf(obj.Btf);
            var random = new Random(5);
            for (int i = 0; i < 20; i++)
            {
                var key = new byte[map.KeySize];
                random.NextBytes(key);
                map.Update(key, FlowValue(spec, random, map.ValueBufferSize), MapWriteMode.Any);
            }

            var codec = MapCodec.For(map.Info);
            var dump = Dump(map.Info.Id);
            var entries = MapEntries.Read(map).ToList();

            Assert.Equal(20, entries.Count);
            Assert.Equal(dump.Keys.OrderBy(k => k), entries.Select(e => HexOf(e.Key)).OrderBy(k => k));
            foreach (var entry in entries)
            {
                var formatted = dump[HexOf(entry.Key)].GetProperty("formatted");
                BpftoolValues.AssertSame(formatted.GetProperty("key"), codec.DecodeKey(entry.Key), "key");
                BpftoolValues.AssertSame(formatted.GetProperty("value"), codec.DecodeValue(entry.Value), "value");
            }
        }

        [KernelFact]
        public void An_array_map_reads_every_index_with_its_value()
        {
            using var obj = FixtureObjects.Load("maps");
            using var map = Open(obj, "counts");
            for (uint i = 0; i < 8; i++) map.Update(BitConverter.GetBytes(i), BitConverter.GetBytes(1000UL * i + 7), MapWriteMode.Any);

            var codec = MapCodec.For(map.Info);
            var dump = Dump(map.Info.Id);
            var entries = MapEntries.Read(map).Select(e => (Key: codec.DecodeKey(e.Key), Value: codec.DecodeValue(e.Value), Raw: e)).ToList();

            Assert.Equal(Enumerable.Range(0, 8).Select(i => (object)(uint)i), entries.Select(e => e.Key));
            Assert.Equal(Enumerable.Range(0, 8).Select(i => (object)(1000UL * (ulong)i + 7)), entries.Select(e => e.Value));
            foreach (var (key, value, raw) in entries)
                BpftoolValues.AssertSame(dump[HexOf(raw.Key)].GetProperty("formatted").GetProperty("value"), value);
        }

        [KernelFact]
        public void A_per_cpu_hash_gives_each_cpus_struct_and_their_field_by_field_sum()
        {
            using var obj = FixtureObjects.Load("maps");
            using var map = Open(obj, "cpu_stats");
            Assert.True(map.IsPerCpu);
            for (uint key = 1; key <= 3; key++)
            {
                var buffer = new byte[map.ValueBufferSize];
                for (int cpu = 0; cpu < map.Cpus; cpu++)
                {
                    BitConverter.TryWriteBytes(buffer.AsSpan(cpu * map.ValueStride), 10UL * key + (ulong)cpu);      // packets
                    BitConverter.TryWriteBytes(buffer.AsSpan(cpu * map.ValueStride + 8), 1500UL * key * (ulong)(cpu + 1)); // bytes
                }
                map.Update(BitConverter.GetBytes(key), buffer, MapWriteMode.Any);
            }

            var codec = MapCodec.For(map.Info);
            var dump = Dump(map.Info.Id);
            var entries = MapEntries.Read(map).ToList();
            Assert.Equal(new uint[] { 1, 2, 3 }, entries.Select(e => BitConverter.ToUInt32(e.Key)).OrderBy(k => k));
            foreach (var entry in entries)
            {
                uint key = BitConverter.ToUInt32(entry.Key);
                var perCpu = Enumerable.Range(0, map.Cpus).Select(cpu => codec.DecodeValue(entry.Value.AsSpan(cpu * map.ValueStride, (int)map.Info.ValueSize))).ToList();
                var bpftoolValues = dump[HexOf(entry.Key)].GetProperty("formatted").GetProperty("values").EnumerateArray().ToList();
                Assert.Equal(map.Cpus, bpftoolValues.Count);
                for (int cpu = 0; cpu < map.Cpus; cpu++)
                {
                    Assert.Equal(cpu, bpftoolValues[cpu].GetProperty("cpu").GetInt32());
                    BpftoolValues.AssertSame(bpftoolValues[cpu].GetProperty("value"), perCpu[cpu], $"cpu {cpu}");
                }
                var sum = Assert.IsType<BtfRecord>(PerCpuSum.Of(perCpu));
                ulong cpus = (ulong)map.Cpus;
                Assert.Equal(10UL * key * cpus + cpus * (cpus - 1) / 2, sum["packets"]);
                Assert.Equal(1500UL * key * cpus * (cpus + 1) / 2, sum["bytes"]);
            }
        }

        [KernelFact]
        public void A_per_cpu_array_sums_its_counters()
        {
            using var obj = FixtureObjects.Load("maps");
            using var map = Open(obj, "cpu_counts");
            var buffer = new byte[map.ValueBufferSize];
            for (int cpu = 0; cpu < map.Cpus; cpu++) BitConverter.TryWriteBytes(buffer.AsSpan(cpu * map.ValueStride), (ulong)(cpu + 1) * 100);
            map.Update(BitConverter.GetBytes(2u), buffer, MapWriteMode.Any);

            var codec = MapCodec.For(map.Info);
            var entry = MapEntries.Read(map).Single(e => BitConverter.ToUInt32(e.Key) == 2);
            var perCpu = Enumerable.Range(0, map.Cpus).Select(cpu => codec.DecodeValue(entry.Value.AsSpan(cpu * map.ValueStride, 8))).ToList();
            var bpftool = Dump(map.Info.Id)[HexOf(entry.Key)].GetProperty("formatted").GetProperty("values").EnumerateArray().ToList();

            for (int cpu = 0; cpu < map.Cpus; cpu++) BpftoolValues.AssertSame(bpftool[cpu].GetProperty("value"), perCpu[cpu]);
            Assert.Equal((ulong)(100 * map.Cpus * (map.Cpus + 1) / 2), PerCpuSum.Of(perCpu));
        }

        [KernelFact]
        public void Lpm_trie_keys_read_as_prefix_and_address()
        {
            using var obj = FixtureObjects.Load("maps");
            using var routes4 = Open(obj, "routes4");
            using var routes6 = Open(obj, "routes6");
            var prefixes4 = new[] { ("10.1.2.0", 24u, 5u), ("192.168.0.0", 16u, 6u), ("0.0.0.0", 0u, 7u) };
            foreach (var (address, length, value) in prefixes4)
                routes4.Update(LpmKey(length, IPAddress.Parse(address)), BitConverter.GetBytes(value), MapWriteMode.Any);
            routes6.Update(LpmKey(32, IPAddress.Parse("2001:db8::")), BitConverter.GetBytes(9UL), MapWriteMode.Any);

            var codec4 = MapCodec.For(routes4.Info);
            var dump4 = Dump(routes4.Info.Id);
            var read4 = MapEntries.Read(routes4).ToList();
            Assert.Equal(3, read4.Count);
            foreach (var entry in read4)
            {
                var key = Assert.IsType<BpfLpmKey>(codec4.DecodeKey(entry.Key));
                var formatted = dump4[HexOf(entry.Key)].GetProperty("formatted");
                Assert.Equal(formatted.GetProperty("key").GetProperty("prefixlen").GetUInt32(), key.PrefixLength);
                BpftoolValues.AssertSame(formatted.GetProperty("key").GetProperty("addr"), key.Data);
                BpftoolValues.AssertSame(formatted.GetProperty("value"), codec4.DecodeValue(entry.Value));
                Assert.Contains(prefixes4, p => $"{p.Item1}/{p.Item2}" == key.ToString());
            }

            var key6 = Assert.IsType<BpfLpmKey>(MapCodec.For(routes6.Info).DecodeKey(MapEntries.Read(routes6).Single().Key));
            Assert.Equal("2001:db8::/32", key6.Prefix);
            Assert.Equal("2001:db8::", key6.Address);
        }

        internal static byte[] LpmKey(uint prefixLength, IPAddress address) =>
            BitConverter.GetBytes(prefixLength).Concat(address.GetAddressBytes()).ToArray();

        [KernelFact]
        public void Char_array_keys_read_as_strings_and_enum_values_by_name()
        {
            using var obj = FixtureObjects.Load("maps");
            using var names = Open(obj, "names");
            using var recent = Open(obj, "recent");
            foreach (var (name, value) in new[] { ("bash", 1u), ("sshd", 22u), ("systemd-journal", 3u) })
            {
                var key = new byte[16];
                Encoding.ASCII.GetBytes(name).CopyTo(key, 0);
                names.Update(key, BitConverter.GetBytes(value), MapWriteMode.Any);
            }
            recent.Update(BitConverter.GetBytes(1UL), BitConverter.GetBytes(2), MapWriteMode.Any);
            recent.Update(BitConverter.GetBytes(2UL), BitConverter.GetBytes(7), MapWriteMode.Any); // no enumerator has 7

            var codec = MapCodec.For(names.Info);
            var dump = Dump(names.Info.Id);
            var keys = MapEntries.Read(names).Select(e =>
            {
                BpftoolValues.AssertSame(dump[HexOf(e.Key)].GetProperty("formatted").GetProperty("key"), codec.DecodeKey(e.Key));
                return codec.DecodeKey(e.Key);
            }).ToList();
            Assert.Equal(new object[] { "bash", "sshd", "systemd-journal" }, keys.OrderBy(k => (string)k!));

            var recentCodec = MapCodec.For(recent.Info);
            var colors = MapEntries.Read(recent).ToDictionary(e => (ulong)recentCodec.DecodeKey(e.Key)!, e => recentCodec.DecodeValue(e.Value));
            Assert.Equal("FX_BLUE", colors[1]);
            Assert.Equal(7u, colors[2]);
            var recentDump = Dump(recent.Info.Id);
            foreach (var entry in MapEntries.Read(recent))
                BpftoolValues.AssertSame(recentDump[HexOf(entry.Key)].GetProperty("formatted").GetProperty("value"), recentCodec.DecodeValue(entry.Value));
        }

        [KernelFact]
        public void Batch_lookup_and_key_by_key_walking_read_the_same_entries()
        {
            using var obj = FixtureObjects.Load("maps");
            using var map = Open(obj, "flows");
            var random = new Random(11);
            for (int i = 0; i < 40; i++)
            {
                var key = new byte[map.KeySize];
                var value = new byte[map.ValueBufferSize];
                random.NextBytes(key);
                random.NextBytes(value);
                map.Update(key, value, MapWriteMode.Any);
            }

            var batched = MapEntries.Read(map).Select(e => HexOf(e.Key) + ":" + HexOf(e.Value)).OrderBy(x => x).ToList();
            var walked = MapEntries.Read(map, entriesPerBatch: 0).Select(e => HexOf(e.Key) + ":" + HexOf(e.Value)).OrderBy(x => x).ToList();

            Assert.Equal(40, batched.Count);
            Assert.Equal(batched, walked);
        }

        [KernelFact]
        public void Ring_buffers_and_perf_arrays_are_streams()
        {
            using var obj = FixtureObjects.Load("maps");
            foreach (var name in new[] { "events", "perf_events" })
            {
                using var stream = Open(obj, name);
                var e = Assert.Throws<BpfException>(() => MapEntries.Read(stream).ToList());
                Assert.Equal(BpfErrorKind.MapIsStream, e.Kind);
                Assert.Contains("Start-BpfTrace", e.Hint);
            }
        }

        [KernelFact]
        public void A_bloom_filter_cannot_be_listed()
        {
            Assert.SkipUnless(KernelFeatures.CanCreateMap(MapTypes.BloomFilter), "this kernel has no bloom filter maps (5.16+)");
            using var obj = FixtureObjects.Load("bloom");
            using var bloom = Open(obj, "seen");
            Assert.Equal(BpfErrorKind.MapNotIterable, Assert.Throws<BpfException>(() => MapEntries.Read(bloom).ToList()).Kind);
        }
    }
}
