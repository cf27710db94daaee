using System;
using System.Buffers.Binary;
using System.IO;

namespace EbpfPS.Core.Symbols
{
    /// <summary>The GNU build id of an ELF file (the NT_GNU_BUILD_ID note of a PT_NOTE segment): what the kernel records
    /// a user stack's frames by (bpf/stacks.h's user_stacks), as hex of 20 bytes, zero-padded as the kernel pads a
    /// shorter id. Read from the program headers alone, as the kernel reads it: a few small reads at the file's start,
    /// where ELFSharp would parse every header (some 2 ms a file, and a scan of the processes reads hundreds).</summary>
    internal static class BuildIds
    {
        /// <summary>The kernel's BUILD_ID_SIZE_MAX: the bytes of struct bpf_stack_build_id's build_id.</summary>
        internal const int Size = 20;

        private const uint PtNote = 4, NtGnuBuildId = 3;
        private const int ProgramHeaderSize = 56;

        /// <summary>The build id of the file at <paramref name="path"/>; null for a file that is no 64-bit little-endian
        /// ELF file, has no build id, or cannot be read.</summary>
        internal static string? Read(string path)
        {
            try
            {
                using var file = File.OpenHandle(path);
                Span<byte> header = stackalloc byte[64];
                if (RandomAccess.Read(file, header, 0) < header.Length || header[0] != 0x7f || !header[1..4].SequenceEqual("ELF"u8) || header[4] != 2 || header[5] != 1)
                    return null;
                long headersAt = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]);
                int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(header[0x36..]), count = BinaryPrimitives.ReadUInt16LittleEndian(header[0x38..]);
                if (entrySize < ProgramHeaderSize || count == 0) return null;
                var headers = new byte[entrySize * count];
                if (RandomAccess.Read(file, headers, headersAt) < headers.Length) return null;
                for (int i = 0; i < count; i++)
                {
                    var entry = headers.AsSpan(i * entrySize, ProgramHeaderSize);
                    if (BinaryPrimitives.ReadUInt32LittleEndian(entry) != PtNote) continue;
                    long offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]), size = (long)BinaryPrimitives.ReadUInt64LittleEndian(entry[32..]);
                    if (size is <= 0 or > 64 * 1024) continue;
                    var notes = new byte[size];
                    if (RandomAccess.Read(file, notes, offset) == size && Find(notes) is { } id) return id;
                }
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                return null;
            }
        }

        /// <summary>The build id among notes: each a name size, a description size and a type, then the name and the
        /// description, each padded to 4 bytes.</summary>
        internal static string? Find(ReadOnlySpan<byte> notes)
        {
            while (notes.Length >= 12)
            {
                uint nameSize = BinaryPrimitives.ReadUInt32LittleEndian(notes), size = BinaryPrimitives.ReadUInt32LittleEndian(notes[4..]);
                uint type = BinaryPrimitives.ReadUInt32LittleEndian(notes[8..]);
                long descriptionAt = 12 + Align(nameSize), end = descriptionAt + Align(size);
                if (end > notes.Length) return null;
                if (type == NtGnuBuildId && nameSize == 4 && notes.Slice(12, 4).SequenceEqual("GNU\0"u8) && size is > 0 and <= Size)
                    return Text(notes.Slice((int)descriptionAt, (int)size));
                notes = notes[(int)end..];
            }
            return null;
        }

        /// <summary>A build id as the kernel gives it (20 bytes, zeros after a shorter id) in the form <see cref="Read"/> gives.</summary>
        internal static string Text(ReadOnlySpan<byte> id)
        {
            Span<byte> padded = stackalloc byte[Size];
            id[..Math.Min(id.Length, Size)].CopyTo(padded);
            return Convert.ToHexString(padded).ToLowerInvariant();
        }

        private static long Align(uint size) => (size + 3L) & ~3L;
    }
}
