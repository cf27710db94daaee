using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EbpfPS.Core;
using EbpfPS.Core.Objects;
using EbpfPS.Introspection;
using EbpfPS.Introspection.Maps;

namespace EbpfPS.Probes.UserObjects
{
    /// <summary>The maps a user's object shares between loads (__uint(pinning, LIBBPF_PIN_BY_NAME)). libbpf pins them
    /// under its default pin root, /sys/fs/bpf, where object authors and bpftool expect them, and the next load reuses
    /// the pin. They are the object's own declaration to share, so neither the end of a trace nor Unregister-BpfProgram
    /// removes them.</summary>
    internal static class PinnedMaps
    {
        /// <summary>Before load: bpffs must be mounted for libbpf to pin the object's shared maps (it says EINVAL where it
        /// is not), and a map pinned by name already must be what the object declares, else libbpf refuses to reuse it
        /// with a bare EINVAL ("parameter mismatch" in its log); this names the map, the pin and what differs.</summary>
        internal static void DemandCompatible(BpfObject obj, Action<string> warn)
        {
            if (obj.OpenMaps().Any(map => map.PinPath is not null)) BpfFs.Demand(warn);
            foreach (var map in obj.OpenMaps())
            {
                if (map.PinPath is not { } pin || !File.Exists(pin)) continue;
                var differences = new List<string>();
                try
                {
                    using var pinned = KernelMap.OpenPinned(pin);
                    var info = pinned.Info;
                    if (info.TypeId != map.Type) differences.Add($"type {info.Type} there, {BpfTypeNames.Map(map.Type)} in the object");
                    if (info.KeySize != map.KeySize) differences.Add($"key size {info.KeySize} there, {map.KeySize} in the object");
                    if (info.ValueSize != map.ValueSize) differences.Add($"value size {info.ValueSize} there, {map.ValueSize} in the object");
                    // (0 entries, as a perf event array may declare, is what libbpf sizes itself)
                    if (map.MaxEntries != 0 && info.MaxEntries != map.MaxEntries) differences.Add($"max_entries {info.MaxEntries} there, {map.MaxEntries} in the object");
                    if (info.Flags != map.Flags) differences.Add($"flags 0x{info.Flags:x} there, 0x{map.Flags:x} in the object");
                }
                catch (BpfException e) when (e.Kind == BpfErrorKind.InvalidArgument)
                {
                    differences.Add(e.Message); // a program or link pinned at the map's path
                }
                if (differences.Count > 0)
                    throw new BpfException(BpfErrorKind.AlreadyExists,
                        $"The map '{map.Name}' of '{obj.Name}' is shared by its pin {pin} (LIBBPF_PIN_BY_NAME), and what is pinned there differs from the object's map: {string.Join("; ", differences)}.",
                        $"Declare the map as it is pinned to share it (Read-BpfMap -Path {pin} reads it), or, when its data may go, remove the pin (Remove-Item {pin}) so that the load pins a new map.")
                    { ErrorId = BpfErrorIds.BpfPinnedMapMismatch };
            }
        }
    }
}
