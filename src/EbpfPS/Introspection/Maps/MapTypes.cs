namespace EbpfPS.Introspection.Maps
{
    /// <summary>What a map's type means for reading and writing it from user space (enum bpf_map_type).</summary>
    internal static class MapTypes
    {
        internal const uint Hash = 1, Array = 2, ProgramArray = 3, PerfEventArray = 4, PerCpuHash = 5, PerCpuArray = 6,
            LruHash = 9, LruPerCpuHash = 10, LpmTrie = 11, Queue = 22, Stack = 23, SocketStorage = 24,
            PerCpuCgroupStorage = 21, RingBuffer = 27, InodeStorage = 28, TaskStorage = 29, BloomFilter = 30,
            UserRingBuffer = 31, CgroupStorage = 32, Arena = 33, SocketMap = 15, SocketHash = 18;

        /// <summary>Lookups return one value per possible CPU, each padded to 8 bytes.</summary>
        internal static bool IsPerCpu(uint type) =>
            type is PerCpuHash or PerCpuArray or LruPerCpuHash or PerCpuCgroupStorage;

        /// <summary>Records flow through it to a consumer; there is nothing to look up.</summary>
        internal static bool IsStream(uint type) => type is PerfEventArray or RingBuffer or UserRingBuffer;

        /// <summary>Maps whose keys cannot be walked from user space.</summary>
        internal static bool IsIterable(uint type) =>
            !IsStream(type) && type is not (Queue or Stack or SocketStorage or InodeStorage or TaskStorage
                or BloomFilter or CgroupStorage or Arena);

        /// <summary>Every index of an array always exists: entries can be overwritten, never removed.</summary>
        internal static bool IsArray(uint type) => type is Array or PerCpuArray;
    }
}
