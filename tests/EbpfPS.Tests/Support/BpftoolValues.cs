using System;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Text.Json;
using EbpfPS.Core.Btf;
using Xunit;

namespace EbpfPS.Tests.Support
{
    /// <summary>Asserts that a decoded value equals bpftool's "formatted" JSON of the same bytes, field by
    /// field: numbers by value, hex strings (bit fields, 128-bit) by value, strings, booleans, arrays, and
    /// records (bpftool's "" member is an anonymous struct, which the decoder flattens).</summary>
    internal static class BpftoolValues
    {
        internal static void AssertSame(JsonElement expected, object? actual, string path = "")
        {
            switch (expected.ValueKind)
            {
                case JsonValueKind.Number:
                    Assert.True(actual is not null && IsInteger(actual), $"{path}: expected the number {expected.GetRawText()}, got '{actual}'");
                    Assert.True(BigInteger.Parse(expected.GetRawText(), CultureInfo.InvariantCulture) == ToBig(actual!), $"{path}: bpftool {expected.GetRawText()}, decoder {actual}");
                    break;
                case JsonValueKind.String when expected.GetString()!.StartsWith("0x") && actual is not string:
                    Assert.True(BigInteger.Parse("0" + expected.GetString()![2..], NumberStyles.HexNumber) == ToBig(actual!), $"{path}: bpftool {expected.GetString()}, decoder {actual}");
                    break;
                case JsonValueKind.String:
                    Assert.True(expected.GetString() == actual as string, $"{path}: bpftool '{expected.GetString()}', decoder '{actual}'");
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    Assert.True(actual is bool b && b == expected.GetBoolean(), $"{path}: bpftool {expected.GetRawText()}, decoder {actual}");
                    break;
                case JsonValueKind.Array:
                    var items = actual switch
                    {
                        byte[] bytes => bytes.Cast<object?>().ToArray(),
                        object?[] objects => objects,
                        _ => throw new Xunit.Sdk.XunitException($"{path}: bpftool has an array, decoder '{actual}'"),
                    };
                    Assert.True(expected.GetArrayLength() == items.Length, $"{path}: bpftool has {expected.GetArrayLength()} items, decoder {items.Length}");
                    int i = 0;
                    foreach (var item in expected.EnumerateArray()) AssertSame(item, items[i], $"{path}[{i++}]");
                    break;
                case JsonValueKind.Object:
                    var record = Assert.IsType<BtfRecord>(actual);
                    AssertRecord(expected, record, path);
                    break;
                default:
                    throw new Xunit.Sdk.XunitException($"{path}: unexpected JSON {expected.ValueKind}");
            }
        }

        private static void AssertRecord(JsonElement expected, BtfRecord record, string path)
        {
            foreach (var property in expected.EnumerateObject())
            {
                if (property.Name.Length == 0) AssertRecord(property.Value, record, path); // anonymous member
                else AssertSame(property.Value, record[property.Name], $"{path}.{property.Name}");
            }
        }

        private static bool IsInteger(object value) => value is sbyte or byte or short or ushort or int or uint or long or ulong or Int128 or UInt128;

        private static BigInteger ToBig(object value) => value switch
        {
            Int128 i => (BigInteger)i,
            UInt128 u => (BigInteger)u,
            bool b => b ? 1 : 0,
            _ => new BigInteger(Convert.ToDecimal(value, CultureInfo.InvariantCulture)),
        };
    }
}
