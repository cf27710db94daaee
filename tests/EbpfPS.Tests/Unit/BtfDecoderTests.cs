using System.Buffers.Binary;
using System.Linq;
using System;
using EbpfPS.Core.Btf;
using EbpfPS.Core.Objects;
using EbpfPS.Core;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>The decoder on the BTF clang wrote for the fixture's types, with bytes laid out by hand at the
    /// offsets the C compiler chose (read from the same BTF).</summary>
    public class BtfDecoderTests
    {
        internal static readonly BtfSpec Spec = LoadSpec();

        private static BtfSpec LoadSpec()
        {
            using var obj = BpfObject.Open(FixtureObjects.Read("maps"), "maps");
            return BtfLoader.FromLibbpf(obj.Btf);
        }

        internal static uint TypeId(string structName) => Spec.Find<BtfComposite>(structName)!.Value;

        internal static int Offset(string structName, string member) =>
            ((BtfComposite)Spec[TypeId(structName)]).Members.Single(m => m.Name == member).BitOffset / 8;

        [Fact]
        public void The_fixture_structs_have_the_layout_clang_gave_them()
        {
            Assert.Equal(8, Spec.SizeOf(TypeId("fx_flow_key")));
            Assert.Equal(96, Spec.SizeOf(TypeId("fx_flow_value")));
            Assert.Equal("struct fx_flow_value", Spec.NameOf(TypeId("fx_flow_value")));
            var value = (BtfComposite)Spec[TypeId("fx_flow_value")];
            Assert.Equal("fx_counter_t", Spec[value.Members[0].Type].Name);
            Assert.Equal("unsigned long long", Spec.Resolve(value.Members[0].Type).Name); // typedef of a typedef
            Assert.Equal("char[16]", Spec.NameOf(value.Members.Single(m => m.Name == "comm").Type));
            Assert.Equal("const volatile __u32", Spec.NameOf(value.Members.Single(m => m.Name == "qualified").Type));
            Assert.Equal(new[] { 3, 5 }, value.Members.Where(m => m.BitfieldSize > 0).Select(m => m.BitfieldSize));
        }

        [Fact]
        public void Every_rule_of_a_flow_value_decodes()
        {
            var bytes = new byte[96];
            var s = bytes.AsSpan();
            BinaryPrimitives.WriteUInt64LittleEndian(s[Offset("fx_flow_value", "packets")..], ulong.MaxValue);
            BinaryPrimitives.WriteInt64LittleEndian(s[Offset("fx_flow_value", "delta")..], long.MinValue);
            s[Offset("fx_flow_value", "tiny")] = 0x80;
            BinaryPrimitives.WriteInt32LittleEndian(s[Offset("fx_flow_value", "level")..], -5);
            s[Offset("fx_flow_value", "active")] = 1;
            "nginx"u8.CopyTo(s[Offset("fx_flow_value", "comm")..]);
            new byte[] { 2, 0xfc, 0, 0, 0, 1 }.CopyTo(s[Offset("fx_flow_value", "mac")..]);
            BinaryPrimitives.WriteInt32LittleEndian(s[Offset("fx_flow_value", "color")..], 2);
            int points = Offset("fx_flow_value", "points");
            BinaryPrimitives.WriteInt16LittleEndian(s[(points + 6)..], -32768); // points[1].y
            BinaryPrimitives.WriteUInt32LittleEndian(s[Offset("fx_flow_value", "raw")..], 0x04030201);
            int anonymous = ((BtfComposite)Spec[TypeId("fx_flow_value")]).Members.Single(m => m.Name.Length == 0).BitOffset / 8;
            BinaryPrimitives.WriteUInt16LittleEndian(s[(anonymous + 2)..], 65535); // high
            int bits = ((BtfComposite)Spec[TypeId("fx_flow_value")]).Members.Single(m => m.Name == "flag_a").BitOffset / 8;
            s[bits] = 0b1111_1010; // flag_a = 2 (3 bits), flag_b = 31 (5 bits)
            s[Offset("fx_flow_value", "big") + 15] = 0x80;

            var value = Assert.IsType<BtfRecord>(new BtfDecoder(Spec).Decode(TypeId("fx_flow_value"), bytes));

            Assert.Equal(ulong.MaxValue, value["packets"]);
            Assert.Equal(long.MinValue, value["delta"]);
            Assert.Equal((sbyte)-128, value["tiny"]);
            Assert.Equal(-5, value["level"]);
            Assert.Equal(true, value["active"]);
            Assert.Equal("nginx", value["comm"]);
            Assert.Equal(new byte[] { 2, 0xfc, 0, 0, 0, 1 }, value["mac"]);
            Assert.Equal("FX_BLUE", value["color"]);
            var pointList = Assert.IsType<object?[]>(value["points"]);
            Assert.Equal((short)-32768, Assert.IsType<BtfRecord>(pointList[1])["y"]);
            var raw = Assert.IsType<BtfRecord>(value["raw"]);
            Assert.Equal(0x04030201u, raw["as_u32"]);
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, raw["as_bytes"]);
            Assert.Equal((ushort)65535, value["high"]);  // anonymous struct members belong to the value
            Assert.Equal(2u, value["flag_a"]);
            Assert.Equal(31u, value["flag_b"]);
            Assert.Equal(UInt128.One << 127, value["big"]);
            Assert.Equal(new[] { "packets", "delta", "tiny", "level", "active", "comm", "mac", "color", "points", "raw", "low", "high", "flag_a", "flag_b", "qualified", "big" },
                value.Select(f => f.Key));
        }

        [Fact]
        public void Floats_pointers_signed_128_bits_and_bit_fields_of_enums_and_bools_decode()
        {
            var type = TypeId("fx_numbers");
            var bytes = new byte[Spec.SizeOf(type)];
            var s = bytes.AsSpan();
            BinaryPrimitives.WriteSingleLittleEndian(s[Offset("fx_numbers", "ratio")..], 0.5f);
            BinaryPrimitives.WriteDoubleLittleEndian(s[Offset("fx_numbers", "mean")..], -2.25);
            BinaryPrimitives.WriteInt128LittleEndian(s[Offset("fx_numbers", "wide")..], -3);
            BinaryPrimitives.WriteUInt64LittleEndian(s[Offset("fx_numbers", "where")..], 0xffff_8880_0000_1000);
            var members = ((BtfComposite)Spec[type]).Members;
            int bitsAt = members.Single(m => m.Name == "signed_bits").BitOffset;
            Assert.Equal(bitsAt + 4, members.Single(m => m.Name == "color_bits").BitOffset);
            // signed_bits = -2 (4 bits: 1110), color_bits = 1 (FX_GREEN), flag_bit = 1
            bytes[bitsAt / 8] = 0b0101_1110;
            BinaryPrimitives.WriteUInt64LittleEndian(s[Offset("fx_numbers", "either")..], 0x0000_0002_0000_0001);

            var value = Assert.IsType<BtfRecord>(new BtfDecoder(Spec).Decode(type, bytes));

            Assert.Equal(0.5f, value["ratio"]);
            Assert.Equal(-2.25, value["mean"]);
            Assert.Equal((Int128)(-3), value["wide"]);
            Assert.Equal(0xffff_8880_0000_1000, value["where"]);
            Assert.Equal(-2, value["signed_bits"]);
            Assert.Equal("FX_GREEN", value["color_bits"]);
            Assert.Equal(true, value["flag_bit"]);
            var either = Assert.IsType<BtfRecord>(value["either"]);
            Assert.Equal(0x0000_0002_0000_0001UL, either["whole"]);
            Assert.Equal(2u, Assert.IsType<BtfRecord>(either["parts"])["high"]);
        }

        [Fact]
        public void An_enum_value_without_a_name_stays_a_number_of_the_enums_width()
        {
            var color = ((BtfComposite)Spec[TypeId("fx_flow_value")]).Members.Single(m => m.Name == "color").Type;
            Assert.Equal(7u, new BtfDecoder(Spec).Decode(color, BitConverter.GetBytes(7)));
        }

        [Fact]
        public void Too_few_bytes_are_refused()
        {
            var e = Assert.Throws<ArgumentException>(() => new BtfDecoder(Spec).Decode(TypeId("fx_flow_key"), new byte[3]));
            Assert.Contains("struct fx_flow_key takes 8 bytes", e.Message);
        }

        [Fact]
        public void Enum64_values_beyond_32_bits_decode_by_name_and_signed_ones_as_negative_numbers()
        {
            var spec = BtfSpec.Parse(RawBtf.Enum64());
            var decoder = new BtfDecoder(spec);
            Assert.Equal("BIG", decoder.Decode(1, BitConverter.GetBytes(0x1_0000_0000UL)));
            Assert.Equal("SMALL", decoder.Decode(1, BitConverter.GetBytes(1UL)));
            Assert.Equal(5UL, decoder.Decode(1, BitConverter.GetBytes(5UL)));
            Assert.Equal("MINUS", decoder.Decode(2, BitConverter.GetBytes(-2L)));
            Assert.Equal(-9L, decoder.Decode(2, BitConverter.GetBytes(-9L)));
            Assert.Equal(new BtfEncoder(spec).Encode(1, "BIG"), BitConverter.GetBytes(0x1_0000_0000UL));
        }

        [Fact]
        public void Data_that_is_not_btf_is_refused()
        {
            Assert.Throws<FormatException>(() => BtfSpec.Parse(new byte[] { 1, 2, 3 }));
            Assert.Throws<FormatException>(() => BtfSpec.Parse(new byte[32]));
        }
    }
}
