using System;
using EbpfPS.Introspection.Maps;

namespace EbpfPS.Commands
{
    /// <summary>A raw entry as the BpfMapEntry a user sees: key and value decoded and made PowerShell objects,
    /// a per-CPU value split by CPU and summed.</summary>
    internal static class MapEntryDecoding
    {
        internal static BpfMapEntry Decode(KernelMap map, MapCodec codec, RawMapEntry raw)
        {
            var entry = new BpfMapEntry
            {
                MapId = map.Info.Id,
                MapName = map.Info.Name,
                Key = PSValues.ToPowerShell(codec.DecodeKey(raw.Key)),
                KeyBytes = raw.Key,
                ValueBytes = raw.Value,
            };
            if (!map.IsPerCpu)
            {
                entry.Value = PSValues.ToPowerShell(codec.DecodeValue(raw.Value));
                return entry;
            }
            var perCpu = new object?[map.Cpus];
            int size = (int)map.Info.ValueSize;
            for (int cpu = 0; cpu < perCpu.Length; cpu++)
                perCpu[cpu] = codec.DecodeValue(raw.Value.AsSpan(cpu * map.ValueStride, size));
            entry.Value = codec.ValueIsTyped ? PSValues.ToPowerShell(PerCpuSum.Of(perCpu)) : null;
            entry.PerCpuValues = new BpfArray(Array.ConvertAll(perCpu, PSValues.ToPowerShell));
            return entry;
        }
    }
}
