using System.Collections.Generic;

namespace EbpfPS.Introspection
{
    /// <summary>Everything loaded in the kernel, system-wide, as the public info objects. Objects that go away
    /// while they are listed are skipped.</summary>
    internal static class LoadedObjects
    {
        internal static IEnumerable<BpfProgramInfo> Programs(PinnedObjects? pins = null)
        {
            foreach (var id in KernelObjectIds.All(BpfObjectKind.Program))
                if (Program(id, pins) is { } info) yield return info;
        }

        internal static IEnumerable<BpfMapInfo> Maps(PinnedObjects? pins = null)
        {
            foreach (var id in KernelObjectIds.All(BpfObjectKind.Map))
                if (Map(id, pins) is { } info) yield return info;
        }

        internal static IEnumerable<BpfLinkInfo> Links(PinnedObjects? pins = null)
        {
            var reader = new LinkInfoReader();
            foreach (var id in KernelObjectIds.All(BpfObjectKind.Link))
                if (Link(id, pins, reader) is { } info) yield return info;
        }

        internal static BpfProgramInfo? Program(uint id, PinnedObjects? pins = null)
        {
            using var fd = KernelObjectIds.TryOpen(BpfObjectKind.Program, id);
            return fd is null ? null : ProgramInfoReader.Read(fd.Fd, pins);
        }

        internal static BpfMapInfo? Map(uint id, PinnedObjects? pins = null)
        {
            using var fd = KernelObjectIds.TryOpen(BpfObjectKind.Map, id);
            return fd is null ? null : MapInfoReader.Read(fd.Fd, pins);
        }

        internal static BpfLinkInfo? Link(uint id, PinnedObjects? pins = null, LinkInfoReader? reader = null)
        {
            using var fd = KernelObjectIds.TryOpen(BpfObjectKind.Link, id);
            return fd is null ? null : (reader ?? new LinkInfoReader()).Read(fd.Fd, pins);
        }
    }
}
