using System;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Introspection
{
    /// <summary>A map's details from its fd: bpf_map_info, and fdinfo's memlock and frozen state.</summary>
    internal static unsafe class MapInfoReader
    {
        internal static BpfMapInfo Read(int fd, PinnedObjects? pins = null)
        {
            var info = new NativeMapInfo();
            ObjectInfo.Get(fd, ref info, "a BPF map");
            var fdInfo = FdInfo.Read(fd);
            return new BpfMapInfo
            {
                Id = info.Id,
                Name = CStrings.Read(info.Name, 16),
                Type = BpfTypeNames.Map(info.Type),
                TypeId = info.Type,
                KeySize = info.KeySize,
                ValueSize = info.ValueSize,
                MaxEntries = info.MaxEntries,
                Flags = info.MapFlags,
                FlagNames = BpfTypeNames.MapFlagNames(info.MapFlags),
                BtfId = info.BtfId,
                BtfKeyTypeId = info.BtfKeyTypeId,
                BtfValueTypeId = info.BtfValueTypeId,
                Frozen = FdInfo.Number(fdInfo, "frozen") != 0,
                MemoryLockBytes = FdInfo.Number(fdInfo, "memlock"),
                PinnedPaths = pins?.PathsOf(BpfObjectKind.Map, info.Id) ?? Array.Empty<string>(),
            };
        }
    }
}
