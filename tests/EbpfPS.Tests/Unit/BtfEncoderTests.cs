using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using EbpfPS.Core.Btf;
using Xunit;
using static EbpfPS.Tests.Unit.BtfDecoderTests;

namespace EbpfPS.Tests.Unit
{
    /// <summary>The encoder writes what users type and what the decoder gave, and says which field does not fit.</summary>
    public class BtfEncoderTests
    {
        private static readonly BtfEncoder Encoder = new(Spec);
        private static readonly BtfDecoder Decoder = new(Spec);

        private static BtfRecord RoundTrip(string structName, object value) =>
            Assert.IsType<BtfRecord>(Decoder.Decode(TypeId(structName), Encoder.Encode(TypeId(structName), value)));

        [Fact]
        public void A_hashtable_of_fields_round_trips_through_the_decoder()
        {
            var value = RoundTrip("fx_flow_value", new Hashtable
            {
                ["Packets"] = 42, ["delta"] = "-7", ["tiny"] = -128, ["level"] = 3.0, ["active"] = true, ["comm"] = "systemd",
                ["mac"] = "02:fc:00:00:00:01", ["color"] = "fx_green", ["points"] = new object[] { new Hashtable { ["x"] = -1, ["y"] = 2 } },
                ["raw"] = new Hashtable { ["as_u32"] = 0xdeadbeef }, ["high"] = 9, ["flag_a"] = 7, ["flag_b"] = 0x1f,
                ["qualified"] = "0x10", ["big"] = UInt128.MaxValue,
            });
            Assert.Equal(42UL, value["packets"]);
            Assert.Equal(-7L, value["delta"]);
            Assert.Equal((sbyte)-128, value["tiny"]);
            Assert.Equal(3, value["level"]);
            Assert.Equal(true, value["active"]);
            Assert.Equal("systemd", value["comm"]);
            Assert.Equal(new byte[] { 2, 0xfc, 0, 0, 0, 1 }, value["mac"]);
            Assert.Equal("FX_GREEN", value["color"]);
            var points = (object?[])value["points"]!;
            Assert.Equal((short)-1, ((BtfRecord)points[0]!)["x"]);
            Assert.Equal((short)0, ((BtfRecord)points[1]!)["x"]); // left out: zero
            Assert.Equal(0xdeadbeefu, ((BtfRecord)value["raw"]!)["as_u32"]);
            Assert.Equal((ushort)9, value["high"]);
            Assert.Equal(7u, value["flag_a"]);
            Assert.Equal(31u, value["flag_b"]);
            Assert.Equal(16u, value["qualified"]);
            Assert.Equal(UInt128.MaxValue, value["big"]);
        }

        [Fact]
        public void What_the_decoder_gives_encodes_to_the_same_bytes()
        {
            var bytes = new byte[96];
            new Random(3).NextBytes(bytes);
            bytes[Offset("fx_flow_value", "active")] = 1;
            Array.Clear(bytes, Offset("fx_flow_value", "comm"), 16);
            "abc"u8.CopyTo(bytes.AsSpan(Offset("fx_flow_value", "comm")));
            BitConverter.TryWriteBytes(bytes.AsSpan(Offset("fx_flow_value", "color")), 1);
            ClearPadding("fx_flow_value", bytes); // padding is not a field: the encoder leaves it zero
            var decoded = Decoder.Decode(TypeId("fx_flow_value"), bytes);
            var encoded = Encoder.Encode(TypeId("fx_flow_value"), decoded);
            // The union is written member by member, so its last member (as_bytes) wins; it holds the same bytes.
            Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(encoded));
        }

        private static void ClearPadding(string structName, byte[] bytes)
        {
            var used = new bool[bytes.Length];
            foreach (var member in ((BtfComposite)Spec[TypeId(structName)]).Members)
            {
                int bits = member.BitfieldSize > 0 ? member.BitfieldSize : Spec.SizeOf(member.Type) * 8;
                for (int bit = member.BitOffset; bit < member.BitOffset + bits; bit++) used[bit / 8] = true;
            }
            for (int i = 0; i < bytes.Length; i++) if (!used[i]) bytes[i] = 0;
        }

        [Fact]
        public void Bit_fields_of_signed_ints_enums_and_bools_encode()
        {
            var value = RoundTrip("fx_numbers", new Dictionary<string, object?> { ["signed_bits"] = -8, ["color_bits"] = "FX_BLUE", ["flag_bit"] = true, ["ratio"] = 1.5, ["where"] = 4096 });
            Assert.Equal(-8, value["signed_bits"]);
            Assert.Equal("FX_BLUE", value["color_bits"]);
            Assert.Equal(true, value["flag_bit"]);
            Assert.Equal(1.5f, value["ratio"]);
            Assert.Equal(4096UL, value["where"]);
        }

        [Fact]
        public void A_union_member_given_alone_is_written()
        {
            var value = RoundTrip("fx_flow_value", new Hashtable { ["raw"] = new Hashtable { ["as_u32"] = 0x01020304u } });
            Assert.Equal(new byte[] { 4, 3, 2, 1 }, ((BtfRecord)value["raw"]!)["as_bytes"]);
        }

        [Theory]
        [InlineData("dport", 70000, "dport: 70000 does not fit in __u16 (0 to 65535).")]
        [InlineData("dport", -1, "dport: -1 does not fit in __u16 (0 to 65535).")]
        [InlineData("proto", "tcp", "proto: 'tcp' is not a number for __u8.")]
        [InlineData("nope", 1, "struct fx_flow_key has no field 'nope'; its fields are saddr, dport, proto, pad.")]
        public void A_key_field_that_does_not_fit_is_named(string field, object value, string message)
        {
            var e = Assert.Throws<BtfValueException>(() => Encoder.Encode(TypeId("fx_flow_key"), new Hashtable { [field] = value }));
            Assert.EndsWith(message, e.Message);
            Assert.Equal(field, e.Path);
        }

        [Fact]
        public void Values_of_the_wrong_shape_say_what_they_should_be()
        {
            var flow = TypeId("fx_flow_value");
            Assert.Contains("takes a hashtable of its fields", Assert.Throws<BtfValueException>(() => Encoder.Encode(flow, 5)).Message);
            Assert.Contains("'a-much-too-long-process-name' is 28 bytes in UTF-8; char[16] holds 15 and the NUL that ends it",
                Assert.Throws<BtfValueException>(() => Encoder.Encode(flow, new Hashtable { ["comm"] = "a-much-too-long-process-name" })).Message);
            // a C string needs its NUL: 16 characters do not fit char[16], 15 do
            Assert.Contains("'sixteen-chars-xx' is 16 bytes in UTF-8; char[16] holds 15",
                Assert.Throws<BtfValueException>(() => Encoder.Encode(flow, new Hashtable { ["comm"] = "sixteen-chars-xx" })).Message);
            Encoder.Encode(flow, new Hashtable { ["comm"] = "fifteen-chars-x" });
            Assert.Contains("'FX_PINK' is not a value of enum fx_color: FX_RED, FX_GREEN, FX_BLUE",
                Assert.Throws<BtfValueException>(() => Encoder.Encode(flow, new Hashtable { ["color"] = "FX_PINK" })).Message);
            Assert.Contains("more than 2 values",
                Assert.Throws<BtfValueException>(() => Encoder.Encode(flow, new Hashtable { ["points"] = new object[3] })).Message);
            Assert.Equal("points[0].x", Assert.Throws<BtfValueException>(() =>
                Encoder.Encode(flow, new Hashtable { ["points"] = new object[] { new Hashtable { ["x"] = 40000 } } })).Path);
            Assert.Contains("3 bytes were given for __u8[6]",
                Assert.Throws<BtfValueException>(() => Encoder.Encode(flow, new Hashtable { ["mac"] = new byte[3] })).Message);
            Assert.Contains("does not fit in a 3-bit field",
                Assert.Throws<BtfValueException>(() => Encoder.Encode(flow, new Hashtable { ["flag_a"] = 8 })).Message);
        }

        [Fact]
        public void Byte_arrays_take_bytes_hex_and_addresses_and_whole_values_take_their_bytes()
        {
            var lpm = TypeId("fx_lpm4");
            var value = RoundTrip("fx_lpm4", new Hashtable { ["prefixlen"] = 8, ["addr"] = IPAddress.Parse("10.0.0.0") });
            Assert.Equal(IPAddress.Parse("10.0.0.0"), value["addr"]); // a byte array named addr reads as an address
            Assert.Equal(IPAddress.Parse("1.2.3.4"), RoundTrip("fx_lpm4", new Hashtable { ["addr"] = "01020304" })["addr"]);
            Assert.Equal(IPAddress.Parse("9.9.9.9"), RoundTrip("fx_lpm4", new Hashtable { ["addr"] = "9.9.9.9" })["addr"]);
            var exact = new byte[] { 24, 0, 0, 0, 192, 168, 1, 0 };
            Assert.Equal(exact, Encoder.Encode(lpm, exact));
        }

        [Fact]
        public void Address_fields_read_as_addresses_by_their_family_and_take_addresses_back()
        {
            var rule = TypeId("fx_rule");
            var bytes = Encoder.Encode(rule, new Hashtable { ["source_family"] = 4, ["source"] = "203.0.113.7", ["dst"] = "10.0.0.1", ["mac"] = "02:fc:00:00:00:01" });
            Assert.Equal(new byte[] { 203, 0, 113, 7 }.Concat(new byte[12]), bytes.Skip(Offset("fx_rule", "source")).Take(16));
            var record = Assert.IsType<BtfRecord>(new BtfDecoder(Spec).Decode(rule, bytes));
            Assert.Equal(IPAddress.Parse("203.0.113.7"), record["source"]); // IPv4 in the first 4 of 16 bytes: source_family says 4
            Assert.Equal(IPAddress.Parse("10.0.0.1"), record["dst"]);
            Assert.Equal(new byte[] { 2, 0xfc, 0, 0, 0, 1 }, record["mac"]); // 6 bytes are no address

            var v6 = new BtfDecoder(Spec).Decode(rule, Encoder.Encode(rule, new Hashtable { ["source_family"] = 6, ["source"] = "2001:db8::7" }));
            Assert.Equal(IPAddress.Parse("2001:db8::7"), ((BtfRecord)v6!)["source"]);
            Assert.Contains("takes 4", Assert.Throws<BtfValueException>(() => Encoder.Encode(rule, new Hashtable { ["dst"] = "2001:db8::1" })).Message);
        }
    }
}
