using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using EbpfPS.Core.Btf;

namespace EbpfPS.Introspection.Maps
{
    /// <summary>The total of a per-CPU value over all CPUs: numbers are added (wrapping like the kernel's
    /// counters), records field by field, arrays element by element; anything else is kept when every CPU
    /// holds the same, and is null otherwise.</summary>
    internal static class PerCpuSum
    {
        internal static object? Of(IReadOnlyList<object?> values)
        {
            if (values.Count == 0) return null;
            var first = values[0];
            switch (first)
            {
                case BtfRecord record when values.All(v => v is BtfRecord r && r.Count == record.Count):
                    var sum = new BtfRecord(record.TypeName);
                    int i = 0;
                    foreach (var field in record)
                    {
                        int index = i++;
                        sum.Add(field.Key, Of(values.Select(v => ((BtfRecord)v!).ElementAt(index).Value).ToList()));
                    }
                    return sum;
                case object?[] array when values.All(v => v is object?[] a && a.Length == array.Length):
                    return Enumerable.Range(0, array.Length).Select(j => Of(values.Select(v => ((object?[])v!)[j]).ToList())).ToArray();
                case bool or string or byte[] or System.Net.IPAddress:
                    return values.All(v => Equals(v, first) || (v is byte[] b && first is byte[] f && b.AsSpan().SequenceEqual(f))) ? first : null;
                case not null when IsNumber(first) && values.All(v => v?.GetType() == first.GetType()):
                    return Add(values, first.GetType());
                default:
                    return null;
            }
        }

        private static bool IsNumber(object value) => value is sbyte or byte or short or ushort or int or uint or long or ulong
            or Int128 or UInt128 or float or double;

        private static object Add(IReadOnlyList<object?> values, Type type)
        {
            if (type == typeof(float) || type == typeof(double))
            {
                double total = values.Sum(v => Convert.ToDouble(v));
                return type == typeof(float) ? (float)total : total;
            }
            BigInteger sum = 0;
            foreach (var value in values) sum += value is Int128 i ? (BigInteger)i : value is UInt128 u ? (BigInteger)u : new BigInteger(Convert.ToDecimal(value));
            return Wrap(sum, type);
        }

        /// <summary>The sum in the values' own type, wrapped at its width as C arithmetic would.</summary>
        private static object Wrap(BigInteger sum, Type type)
        {
            var bytes = new byte[16];
            if (sum.Sign < 0) bytes.AsSpan().Fill(0xff);
            (sum & ((BigInteger.One << 128) - 1)).TryWriteBytes(bytes, out _, isUnsigned: true);
            var low = BitConverter.ToUInt64(bytes, 0);
            return Type.GetTypeCode(type) switch
            {
                TypeCode.SByte => (sbyte)low, TypeCode.Byte => (byte)low, TypeCode.Int16 => (short)low, TypeCode.UInt16 => (ushort)low,
                TypeCode.Int32 => (int)low, TypeCode.UInt32 => (uint)low, TypeCode.Int64 => (long)low, TypeCode.UInt64 => low,
                _ when type == typeof(Int128) => (Int128)new UInt128(BitConverter.ToUInt64(bytes, 8), low),
                _ => new UInt128(BitConverter.ToUInt64(bytes, 8), low),
            };
        }
    }
}
