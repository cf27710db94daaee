using System;
using System.Linq;
using EbpfPS.Introspection.Maps;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>A map larger than one batch is streamed whole, by batches and by walking keys alike.</summary>
    public class LargeMapTests : IClassFixture<KernelLeakCheck>
    {
        [KernelFact]
        public void Twenty_thousand_entries_stream_in_batches_and_one_by_one()
        {
            const int Count = 20_000;
            using var pins = new PinDirectory();
            Bpftool.Run($"map create {pins["large"]} type hash key 4 value 16 entries {Count} name ebpfps_large");
            using var map = KernelMap.OpenPinned(pins["large"]);
            for (uint i = 0; i < Count; i++)
                map.Update(BitConverter.GetBytes(i), BitConverter.GetBytes((ulong)i * 3).Concat(BitConverter.GetBytes((ulong)i)).ToArray(), MapWriteMode.Any);
            foreach (int entriesPerBatch in new[] { 1000, 0 }) // 20 batches, then key by key
            {
                var keys = new bool[Count];
                int read = 0;
                foreach (var entry in MapEntries.Read(map, entriesPerBatch))
                {
                    uint key = BitConverter.ToUInt32(entry.Key);
                    Assert.False(keys[key], $"key {key} read twice");
                    keys[key] = true;
                    Assert.Equal((ulong)key * 3, BitConverter.ToUInt64(entry.Value, 0));
                    Assert.Equal(key, BitConverter.ToUInt64(entry.Value, 8));
                    read++;
                }
                Assert.Equal(Count, read);
            }
            Assert.Equal(Count, Bpftool.Json($"map dump pinned {pins["large"]}").GetArrayLength());
        }
    }
}
