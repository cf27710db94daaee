using System;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Introspection
{
    /// <summary>A loaded program's details from its fd: bpf_prog_info, its map ids, and fdinfo's memlock.</summary>
    internal static unsafe class ProgramInfoReader
    {
        internal static BpfProgramInfo Read(int fd, PinnedObjects? pins = null)
        {
            var info = new NativeProgramInfo();
            ObjectInfo.Get(fd, ref info, "a BPF program");
            var mapIds = new uint[info.MapIdCount];
            if (mapIds.Length > 0)
            {
                fixed (uint* ids = mapIds)
                {
                    uint count = info.MapIdCount;
                    info = new NativeProgramInfo { MapIdCount = count, MapIds = (ulong)ids };
                    ObjectInfo.Get(fd, ref info, "a BPF program");
                    if (info.MapIdCount < count) Array.Resize(ref mapIds, (int)info.MapIdCount);
                }
            }
            var fdInfo = FdInfo.Read(fd);
            return new BpfProgramInfo
            {
                Id = info.Id,
                Name = CStrings.Read(info.Name, 16),
                Type = BpfTypeNames.Program(info.Type),
                Tag = Convert.ToHexString(new ReadOnlySpan<byte>(info.Tag, 8)).ToLowerInvariant(),
                LoadedAt = BootTime.ToDateTime(info.LoadTime),
                OwnerUserId = info.CreatedByUid,
                MapIds = mapIds,
                BtfId = info.BtfId,
                GplCompatible = (info.Flags & 1) != 0,
                Jited = info.JitedProgramLength > 0,
                TranslatedBytes = info.TranslatedProgramLength,
                JitedBytes = info.JitedProgramLength,
                MemoryLockBytes = FdInfo.Number(fdInfo, "memlock"),
                VerifiedInstructions = info.VerifiedInstructions,
                RunCount = info.RunCount,
                RunTime = TimeSpan.FromTicks((long)(info.RunTimeNs / 100)),
                RunTimeNanoseconds = info.RunTimeNs,
                PinnedPaths = pins?.PathsOf(BpfObjectKind.Program, info.Id) ?? Array.Empty<string>(),
            }.WithRegistration();
        }
    }
}
