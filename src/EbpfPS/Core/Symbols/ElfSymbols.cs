using System;
using System.Collections.Generic;
using System.Linq;
using ELFSharp.ELF;
using ELFSharp.ELF.Sections;
using ELFSharp.ELF.Segments;

namespace EbpfPS.Core.Symbols
{
    /// <summary>A function symbol of an ELF file: its name, its virtual address in the file's own layout, and its size
    /// (0 where the symbol does not say, as for some assembly).</summary>
    internal readonly record struct ElfFunction(string Name, ulong Address, ulong Size);

    /// <summary>A PT_LOAD segment: the bytes at file offset Offset (FileSize of them) appear at virtual address Address.</summary>
    internal readonly record struct ElfLoadSegment(ulong Address, ulong Offset, ulong FileSize, bool Executable);

    /// <summary>The functions of one ELF program or library (.symtab and .dynsym) and its load segments, read once with
    /// ELFSharp: what uprobes need (a function's file offset) and what symbolizing a stack needs (the function at an
    /// address of a mapping).</summary>
    internal sealed class ElfSymbols
    {
        private readonly ElfFunction[] _byAddress;

        private ElfSymbols(string path, ElfFunction[] byAddress, IReadOnlyList<ElfLoadSegment> segments, bool hasSymtab, int dynamicSymbols)
        {
            Path = path;
            _byAddress = byAddress;
            Segments = segments;
            HasSymtab = hasSymtab;
            DynamicSymbols = dynamicSymbols;
        }

        internal string Path { get; }
        /// <summary>Every function, by address; aliases (getppid, __getppid) each once.</summary>
        internal IReadOnlyList<ElfFunction> Functions => _byAddress;
        internal IReadOnlyList<ElfLoadSegment> Segments { get; }
        /// <summary>False for a stripped file: only what it exports (.dynsym) has a name.</summary>
        internal bool HasSymtab { get; }
        internal int DynamicSymbols { get; }

        /// <summary>The file at <paramref name="path"/>, or null when it is not a 64-bit ELF file (or cannot be read).</summary>
        internal static ElfSymbols? TryRead(string path)
        {
            try
            {
                if (!ELFReader.TryLoad<ulong>(path, out var elf)) return null;
                using (elf) return Read(path, elf);
            }
            catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                return null;
            }
        }

        private static ElfSymbols Read(string path, IELF elfFile)
        {
            var elf = (ELF<ulong>)elfFile;
            var tables = elf.Sections.OfType<SymbolTable<ulong>>().ToList();
            var functions = tables.SelectMany(t => t.Entries)
                .Where(e => e.Type == SymbolType.Function && e.Value != 0 && e.PointedSectionIndex != 0)
                .Select(e => new ElfFunction(e.Name, e.Value, e.Size))
                .Distinct()
                .OrderBy(f => f.Address)
                // of aliases at one address, the name without leading underscores first (getppid before __getppid)
                .ThenBy(f => f.Name.TrimStart('_').Length != f.Name.Length)
                .ThenBy(f => f.Name, StringComparer.Ordinal)
                .ToArray();
            var segments = elf.Segments.Where(s => s.Type == SegmentType.Load)
                .Select(s => new ElfLoadSegment(s.Address, (ulong)s.Offset, (ulong)s.FileSize, s.Flags.HasFlag(SegmentFlags.Execute)))
                .ToList();
            return new ElfSymbols(path, functions, segments, tables.Any(t => t.Name == ".symtab"),
                tables.Where(t => t.Name == ".dynsym").Sum(t => t.Entries.Count()));
        }

        /// <summary>Where in the file the instruction at virtual address ADDRESS is: through the executable segment that
        /// maps it (as libbpf's elf_find_func_offset does); the offset a uprobe is attached at.</summary>
        internal ulong? FileOffset(ulong address)
        {
            foreach (var segment in Segments)
                if (segment.Executable && address >= segment.Address && address < segment.Address + segment.FileSize)
                    return address - segment.Address + segment.Offset;
            return null;
        }

        /// <summary>The virtual address, in the file's own layout, of the byte at file offset OFFSET: how an address seen
        /// in a process (a mapping's start plus the offset into the file) becomes one its symbols are written in,
        /// whether the file is a PIE or shared library loaded anywhere or a program at its fixed address.</summary>
        internal ulong? AddressOfFileOffset(ulong offset)
        {
            foreach (var segment in Segments)
                if (offset >= segment.Offset && offset < segment.Offset + segment.FileSize)
                    return offset - segment.Offset + segment.Address;
            return null;
        }

        /// <summary>The function ADDRESS (in the file's layout) is in, and how far into it; null where no symbol covers it.</summary>
        internal (ElfFunction Function, ulong Offset)? FunctionAt(ulong address)
        {
            int i = LastAtOrBelow(address);
            if (i < 0) return null;
            // the first of the aliases at that address, which sorts first
            while (i > 0 && _byAddress[i - 1].Address == _byAddress[i].Address) i--;
            var function = _byAddress[i];
            // a sized symbol covers its size only; an unsized one (assembly) reaches to the next symbol
            if (function.Size > 0 && address >= function.Address + function.Size)
                return null;
            return (function, address - function.Address);
        }

        private int LastAtOrBelow(ulong address)
        {
            int low = 0, high = _byAddress.Length - 1, found = -1;
            while (low <= high)
            {
                int middle = low + (high - low) / 2;
                if (_byAddress[middle].Address <= address) { found = middle; low = middle + 1; }
                else high = middle - 1;
            }
            return found;
        }
    }
}
