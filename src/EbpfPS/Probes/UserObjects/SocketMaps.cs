using System;
using System.Collections.Generic;
using System.Linq;
using EbpfPS.Core;
using EbpfPS.Core.Objects;
using EbpfPS.Interop;
using EbpfPS.Introspection.Maps;

namespace EbpfPS.Probes.UserObjects
{
    /// <summary>The programs of a user's object that attach to one of its sockmaps or sockhashes (sk_msg, sk_skb/...):
    /// at which attach type, and to which map — the object's only socket map, or the one -SocketMap names.</summary>
    internal static class SocketMaps
    {
        // enum bpf_prog_type
        internal const uint SkSkb = 14, SkMsg = 16;

        /// <summary>Sections newer libbpf knows and 1.1 does not (it leaves their type unset): their attach type.</summary>
        private static readonly Dictionary<string, uint> NewerSections = new(StringComparer.Ordinal)
        {
            ["sk_skb/verdict"] = Libbpf.BPF_SK_SKB_VERDICT,
        };

        private static readonly uint[] AttachTypes =
        {
            Libbpf.BPF_SK_MSG_VERDICT, Libbpf.BPF_SK_SKB_STREAM_PARSER, Libbpf.BPF_SK_SKB_STREAM_VERDICT, Libbpf.BPF_SK_SKB_VERDICT,
        };

        /// <summary>Before load: gives the sections libbpf 1.1 does not know their program and attach type.</summary>
        internal static void TypeSections(BpfObject obj)
        {
            foreach (var program in obj.Programs().Where(p => p.Type == 0 && NewerSections.ContainsKey(p.SectionName)))
            {
                program.SetType(SkSkb);
                Libbpf.bpf_program__set_expected_attach_type(program.Pointer, NewerSections[program.SectionName]);
            }
        }

        /// <summary>Before load: the program's attach type is known and the object has the map to attach it to.</summary>
        internal static void Demand(BpfObject obj, BpfProgram program, string? socketMap)
        {
            if (!AttachTypes.Contains(AttachTypeOf(program)))
                throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"'{program.Name}' (SEC(\"{program.SectionName}\")) of '{obj.Name}' is an sk_skb program whose section does not say how it attaches to its socket map.",
                    "Name its section SEC(\"sk_skb/stream_parser\"), SEC(\"sk_skb/stream_verdict\") or SEC(\"sk_skb/verdict\").")
                { ErrorId = BpfErrorIds.SocketMapAttachTypeMissing };
            Of(obj, socketMap);
        }

        internal static uint AttachTypeOf(BpfProgram program) => Libbpf.bpf_program__expected_attach_type(program.Pointer);

        /// <summary>The socket map the object's sk_msg and sk_skb programs attach to: the one named, else the only one.</summary>
        internal static BpfMap Of(BpfObject obj, string? name)
        {
            var candidates = obj.Maps().Where(m => m.Type is MapTypes.SocketMap or MapTypes.SocketHash).ToList();
            string names = string.Join(", ", candidates.Select(m => m.Name));
            if (name is not null)
                return candidates.FirstOrDefault(m => m.Name == name) ?? throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"-SocketMap {name}: '{obj.Name}' has no sockmap or sockhash of that name.",
                    candidates.Count > 0 ? $"Give one of its socket maps: {names}." : "Its sk_msg and sk_skb programs need a map of type BPF_MAP_TYPE_SOCKMAP or BPF_MAP_TYPE_SOCKHASH in the object.")
                { ErrorId = BpfErrorIds.SocketMapNotFound };
            return candidates.Count switch
            {
                1 => candidates[0],
                0 => throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"'{obj.Name}' has sk_msg or sk_skb programs, which attach to a sockmap or sockhash of the object, and it has none.",
                    "Declare a map of type BPF_MAP_TYPE_SOCKMAP or BPF_MAP_TYPE_SOCKHASH in the object (a sockops program puts sockets into it).")
                { ErrorId = BpfErrorIds.SocketMapNotFound },
                _ => throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"'{obj.Name}' has {candidates.Count} socket maps, and its sk_msg and sk_skb programs attach to one of them.",
                    $"Say which with -SocketMap: {names}.") { ErrorId = BpfErrorIds.SocketMapAmbiguous },
            };
        }

        /// <summary>A -SocketMap that no program of the object attaches to, as a warning.</summary>
        internal static IEnumerable<string> Unused(BpfObject obj, string? socketMap)
        {
            if (socketMap is not null && !obj.Programs().Any(p => p.Type is SkSkb or SkMsg))
                yield return $"No program of '{obj.Name}' attaches to a socket map (sk_msg, sk_skb/... sections): -SocketMap {socketMap} is not used.";
        }
    }
}
