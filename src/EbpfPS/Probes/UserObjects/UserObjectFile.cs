using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EbpfPS.Core;
using EbpfPS.Core.Btf;
using EbpfPS.Core.Objects;

namespace EbpfPS.Probes.UserObjects
{
    /// <summary>The user's compiled object opened as a trace and a registration both take it: read from its file,
    /// its `const volatile` globals set by name through its BTF, its programs checked against their targets.</summary>
    internal static class UserObjectFile
    {
        /// <summary>Opens the object (not loaded yet); what fails here leaves nothing open. <paramref name="warn"/> gets
        /// what the caller should be warned of (bpffs mounted in a private mount namespace).</summary>
        internal static BpfObject Open(string path, IReadOnlyDictionary<string, object?> globals, AttachTargets targets, Action<string> warn)
        {
            byte[] elf = UserFiles.ReadObject(path);
            if (elf is not [0x7f, (byte)'E', (byte)'L', (byte)'F', ..])
                throw new BpfException(BpfErrorKind.InvalidArgument, $"'{path}' is not a BPF object: it is not an ELF file.",
                    "Give the .o that clang writes: clang -g -O2 -target bpf -c x.bpf.c -o x.bpf.o.") { ErrorId = BpfErrorIds.BpfObjectInvalid };
            var obj = BpfObject.Open(elf, NameOf(path));
            try
            {
                foreach (var (name, value) in globals) SetGlobal(obj, name, value);
                ProgramTargets.TypeTcSections(obj);
                SocketMaps.TypeSections(obj);
                ProgramTargets.Demand(obj, targets);
                PinnedMaps.DemandCompatible(obj, warn);
                return obj;
            }
            catch
            {
                obj.Dispose();
                throw;
            }
        }

        /// <summary>x.bpf.o -> x.</summary>
        internal static string NameOf(string path) => Path.GetFileNameWithoutExtension(path).Replace(".bpf", "", StringComparison.Ordinal);

        /// <summary>Writes a `const volatile` global, its value encoded by the global's BTF type.</summary>
        internal static void SetGlobal(BpfObject obj, string name, object? value)
        {
            var spec = obj.Spec;
            var section = spec.Find<BtfSection>(".rodata") is { } id ? (BtfSection)spec[id] : null;
            var variable = section?.Variables.Select(v => spec[v.Type]).OfType<BtfVariable>().FirstOrDefault(v => v.Name == name);
            if (variable is null)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"'{name}' is not a read-only global of '{obj.Name}'.",
                    $"Globals that can be set before load are declared `const volatile` in the program{Globals(spec, section)}.") { ErrorId = BpfErrorIds.BpfGlobalNotFound };
            if (value is null)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"-Set gives no value ($null) for '{name}'.",
                    $"Give '{name}' a value, or leave it out of -Set to keep the value the object declares.") { ErrorId = BpfErrorIds.BpfGlobalValueInvalid };
            byte[] bytes;
            try { bytes = new BtfEncoder(spec).Encode(variable.Type, value); }
            catch (BtfValueException e)
            {
                throw new BpfException(BpfErrorKind.InvalidArgument, $"The value for '{name}' does not fit its type {spec.NameOf(variable.Type)}: {e.Message}",
                    "Give a value of the global's C type (a number in range, a string for a char array).") { ErrorId = BpfErrorIds.BpfGlobalValueInvalid };
            }
            obj.SetGlobal(name, bytes);
        }

        private static string Globals(BtfSpec spec, BtfSection? section) => section is null
            ? " (this object has none)"
            : ": " + string.Join(", ", section.Variables.Select(v => spec[v.Type].Name));
    }
}
