using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ELFSharp.ELF;
using ELFSharp.ELF.Sections;
using EbpfPS.Core.Btf;

namespace EbpfPS.Skeletons
{
    /// <summary>What a skeleton is made of, read from a compiled bpf/NAME.bpf.o: its BTF, the variables of its
    /// data sections at their places, and its programs. Clang leaves the offsets of a data section's variables
    /// to the loader (libbpf fills them in from the symbol table when it opens the object); so does this.</summary>
    internal sealed class CompiledObject
    {
        internal sealed record Variable(string Name, uint Type, int Offset, int Size);

        internal sealed record Section(string Name, int Size, IReadOnlyList<Variable> Variables);

        internal sealed record Program(string Name, string SectionName);

        private CompiledObject(string name, BtfSpec btf, IReadOnlyList<Section> sections, IReadOnlyList<Program> programs)
        {
            Name = name;
            Btf = btf;
            Sections = sections;
            Programs = programs;
        }

        /// <summary>bpf/NAME.bpf.c's NAME.</summary>
        internal string Name { get; }
        internal BtfSpec Btf { get; }
        internal IReadOnlyList<Section> Sections { get; }
        internal IReadOnlyList<Program> Programs { get; }

        internal Section? this[string section] => Sections.FirstOrDefault(s => s.Name == section);

        internal static CompiledObject Read(string path)
        {
            string name = Path.GetFileName(path);
            name = name[..name.IndexOf('.')];
            using var elf = ELFReader.Load<ulong>(path);
            var btfSection = elf.Sections.FirstOrDefault(s => s.Name == ".BTF")
                ?? throw new InvalidDataException($"{path} has no .BTF section: compile it with clang -g.");
            var btf = BtfSpec.Parse(btfSection.GetContents());
            var symbols = ((ISymbolTable)elf.GetSection(".symtab")).Entries.OfType<SymbolEntry<ulong>>().ToList();

            var sections = new List<Section>();
            for (uint id = 1; id < btf.Count; id++)
            {
                if (btf[id] is not BtfSection data) continue;
                var variables = data.Variables.Select(v =>
                {
                    string variable = ((BtfVariable)btf[v.Type]).Name;
                    var symbol = symbols.FirstOrDefault(s => s.Name == variable && s.PointedSection?.Name == data.Name)
                        ?? throw new InvalidDataException($"{path}: no symbol for {data.Name} variable {variable}.");
                    return new Variable(variable, ((BtfVariable)btf[v.Type]).Type, (int)symbol.Value, v.Size);
                }).ToList();
                var elfSection = elf.Sections.OfType<Section<ulong>>().FirstOrDefault(s => s.Name == data.Name);
                sections.Add(new Section(data.Name, (int)(elfSection?.Size ?? 0), variables));
            }

            var programs = symbols
                .Where(s => s.Type == SymbolType.Function && s.Binding == SymbolBinding.Global
                            && s.PointedSection is Section<ulong> section && (section.Flags & SectionFlags.Executable) != 0)
                .Select(s => new Program(s.Name, s.PointedSection.Name))
                .ToList();
            return new CompiledObject(name, btf, sections, programs);
        }
    }
}
