using System;
using System.Collections;
using System.Linq;
using System.Net;
using EbpfPS.Core;
using EbpfPS.Core.Btf;
using EbpfPS.Introspection.Maps;
using Xunit;
using static EbpfPS.Tests.Unit.BtfDecoderTests;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Keys and values of maps with and without BTF, and LPM trie prefixes, without a kernel.</summary>
    public class MapCodecTests
    {
        private static BpfMapInfo Info(uint type, uint keySize, uint valueSize, uint keyType = 0, uint valueType = 0) =>
            new() { Id = 9, Name = "m", TypeId = type, KeySize = keySize, ValueSize = valueSize, BtfKeyTypeId = keyType, BtfValueTypeId = valueType };

        [Fact]
        public void A_map_without_btf_takes_bytes_hex_addresses_and_little_endian_numbers()
        {
            var codec = new MapCodec(Info(MapTypes.Hash, 4, 8), btf: null);
            Assert.Equal(new byte[] { 1, 2, 0, 0 }, codec.EncodeKey(513));
            Assert.Equal(new byte[] { 0xff, 0xff, 0xff, 0xff }, codec.EncodeKey(-1));
            Assert.Equal(new byte[] { 0xff, 0xff, 0xff, 0xff }, codec.EncodeKey(uint.MaxValue));
            Assert.Equal(new byte[] { 10, 0, 0, 1 }, codec.EncodeKey("0a 00 00 01"));
            Assert.Equal(new byte[] { 10, 0, 0, 1 }, codec.EncodeKey(IPAddress.Parse("10.0.0.1")));
            Assert.Equal(new byte[] { 42, 0, 0, 0 }, codec.EncodeKey("42"));      // not 4 bytes of hex: a number
            Assert.Equal(new byte[] { 0x10, 0, 0, 0 }, codec.EncodeKey("0x10"));
            Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, codec.EncodeValue(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
            Assert.Equal(new byte[] { 1, 2, 3 }, codec.DecodeKey(new byte[] { 1, 2, 3 }));
        }

        [Theory]
        [InlineData(4294967296L, "does not fit")]
        [InlineData("hello", "not a number")]
        public void A_key_that_does_not_fit_a_map_without_btf_says_what_it_takes(object key, string problem)
        {
            var e = Assert.Throws<BpfException>(() => new MapCodec(Info(MapTypes.Hash, 4, 8), null).EncodeKey(key));
            Assert.Equal(BpfErrorIds.BpfMapKeyInvalid, e.ErrorId);
            Assert.Contains(problem, e.Message);
            Assert.Contains("give 4 bytes as a byte[], hex text such as '00 00 00 00', or a number", e.Hint);
        }

        [Fact]
        public void Wrong_byte_counts_and_missing_values_are_refused()
        {
            var codec = new MapCodec(Info(MapTypes.Hash, 4, 8), null);
            Assert.Contains("3 bytes were given; it takes 4", Assert.Throws<BpfException>(() => codec.EncodeKey(new byte[3])).Message);
            var missing = Assert.Throws<BpfException>(() => codec.EncodeValue(null));
            Assert.Equal(BpfErrorIds.BpfMapValueInvalid, missing.ErrorId);
            Assert.Contains("No value was given", missing.Message);
        }

        [Fact]
        public void Lpm_keys_are_prefixes_both_ways()
        {
            var codec = new MapCodec(Info(MapTypes.LpmTrie, 8, 4, TypeId("fx_lpm4")), Spec);
            var key = codec.EncodeKey("192.168.0.0/16");
            Assert.Equal(new byte[] { 16, 0, 0, 0, 192, 168, 0, 0 }, key);
            var decoded = Assert.IsType<BpfLpmKey>(codec.DecodeKey(key));
            Assert.Equal("192.168.0.0/16", decoded.ToString());
            Assert.Equal(16u, decoded.PrefixLength);
            Assert.Equal(key, codec.EncodeKey(decoded));
            // The key struct's fields are still a way to say it.
            Assert.Equal(key, codec.EncodeKey(new Hashtable { ["prefixlen"] = 16, ["addr"] = "192.168.0.0" }));

            var e = Assert.Throws<BpfException>(() => codec.EncodeKey("2001:db8::/32"));
            Assert.Equal(BpfErrorIds.BpfMapKeyInvalid, e.ErrorId);
            Assert.Contains("the key's address holds IPv4 addresses, not 2001:db8::", e.Message);
            Assert.Contains("10.1.0.0/16", e.Hint);
            Assert.Throws<BpfException>(() => codec.EncodeKey("10.0.0.0/33"));
        }

        [Fact]
        public void Lpm_keys_with_fields_before_the_address_read_and_write_as_address_prefix_and_fields()
        {
            var codec = new MapCodec(Info(MapTypes.LpmTrie, 24, 4, TypeId("fx_lpm_tagged")), Spec);
            // prefixlen 56 = the 32 bits of zone, family and reserved, then 24 address bits; family 4: IPv4
            var key = codec.EncodeKey("203.0.113.0/24");
            Assert.Equal(new byte[] { 56, 0, 0, 0, 0, 4, 0, 0, 203, 0, 113, 0 }.Concat(new byte[12]), key);
            var decoded = Assert.IsType<BpfLpmKey>(codec.DecodeKey(key));
            Assert.Equal("203.0.113.0/24", decoded.ToString());
            Assert.Equal(("203.0.113.0", 24, 56u), (decoded.Address, decoded.AddressPrefixLength, decoded.PrefixLength));
            Assert.Equal((byte)4, decoded.Fields!["family"]);

            foreach (var text in new[] { "2001:db8::/32 zone=3", "10.0.0.0/8 family=2", "prefixlen=8 zone=7", "0.0.0.0/0" })
                Assert.Equal(text, codec.DecodeKey(codec.EncodeKey(text))!.ToString());
            Assert.Equal(new byte[] { 8, 0, 0, 0, 7 }.Concat(new byte[19]), codec.EncodeKey("prefixlen=8 zone=7"));

            var unknown = Assert.Throws<BpfException>(() => codec.EncodeKey("10.0.0.0/8 color=1"));
            Assert.Equal(BpfErrorIds.BpfMapKeyInvalid, unknown.ErrorId);
            Assert.Contains("no field 'color'; its fields are prefixlen, zone, family, reserved", unknown.Message);
            Assert.Contains("'10.1.0.0/16' or '10.1.0.0/16 zone=1'", unknown.Hint);
            Assert.Contains("0 to 32 bits, not 40", Assert.Throws<BpfException>(() => codec.EncodeKey("10.0.0.0/40")).Message);
            Assert.Contains("neither an address prefix", Assert.Throws<BpfException>(() => codec.EncodeKey("nonsense")).Message);
        }

        [Fact]
        public void Lpm_keys_of_other_sizes_show_their_data_as_hex()
        {
            var codec = new MapCodec(Info(MapTypes.LpmTrie, 7, 4), null);
            var key = Assert.IsType<BpfLpmKey>(codec.DecodeKey(new byte[] { 12, 0, 0, 0, 0xab, 0xcd, 0xe0 }));
            Assert.Null(key.Address);
            Assert.Equal("abcde0/12", key.Prefix);
            Assert.Equal(new byte[] { 12, 0, 0, 0, 0xab, 0xcd, 0xe0 }, codec.EncodeKey("abcde0/12"));
        }

        [Fact]
        public void A_value_of_the_wrong_shape_names_the_type_in_the_hint()
        {
            var codec = new MapCodec(Info(MapTypes.Hash, 8, 96, TypeId("fx_flow_key"), TypeId("fx_flow_value")), Spec);
            var e = Assert.Throws<BpfException>(() => codec.EncodeValue(new Hashtable { ["color"] = "PURPLE" }));
            Assert.Equal(BpfErrorIds.BpfMapValueInvalid, e.ErrorId);
            Assert.Contains("color: 'PURPLE' is not a value of enum fx_color", e.Message);
            Assert.Equal("Its value is struct fx_flow_value: give a hashtable of its fields, e.g. @{ packets = ...; delta = ...; tiny = ... }.", e.Hint);
        }

        [Fact]
        public void Per_cpu_sums_add_numbers_and_records_and_keep_what_cannot_be_added_when_it_agrees()
        {
            Assert.Equal(6UL, PerCpuSum.Of(new object?[] { 1UL, 2UL, 3UL }));
            Assert.Equal((byte)4, PerCpuSum.Of(new object?[] { (byte)250, (byte)10 })); // wraps like the kernel's u8
            Assert.Equal(-3, PerCpuSum.Of(new object?[] { -1, -2 }));
            Assert.Equal(2.5, PerCpuSum.Of(new object?[] { 1.0, 1.5 }));
            var a = new BtfRecord("struct s") { };
            a.Add("n", 1u); a.Add("name", "x");
            var b = new BtfRecord("struct s");
            b.Add("n", 2u); b.Add("name", "x");
            var sum = Assert.IsType<BtfRecord>(PerCpuSum.Of(new object?[] { a, b }));
            Assert.Equal(3u, sum["n"]);
            Assert.Equal("x", sum["name"]);
            Assert.Null(PerCpuSum.Of(new object?[] { "x", "y" }));
            Assert.Equal(new object?[] { 4L, 6L }, PerCpuSum.Of(new object?[] { new object?[] { 1L, 2L }, new object?[] { 3L, 4L } }));
        }
    }
}
