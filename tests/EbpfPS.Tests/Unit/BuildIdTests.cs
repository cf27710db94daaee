using System;
using System.IO;
using System.Linq;
using ELFSharp.ELF;
using ELFSharp.ELF.Segments;
using EbpfPS.Core.Symbols;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Build ids read from ELF files' program headers (as the kernel records user stack frames by them), and the
    /// frames of a user stack read from the kernel's struct bpf_stack_build_id entries.</summary>
    public class BuildIdTests
    {
        [Fact]
        public void The_build_id_of_each_file_this_process_maps_is_the_one_ELFSharp_finds_in_its_notes()
        {
            var files = File.ReadLines("/proc/self/maps").Select(ProcessMapping.Parse).OfType<ProcessMapping>()
                .Where(m => m.IsFile && File.Exists(m.Path)).Select(m => m.Path).Distinct().ToList();
            int withId = 0;
            foreach (string path in files)
            {
                string? expected = null;
                if (ELFReader.TryLoad<ulong>(path, out var elf))
                    using (elf)
                        expected = elf.Segments.OfType<INoteSegment>().SelectMany(s => s.Notes).Where(n => n.Name == "GNU" && n.Type == 3)
                            .Select(n => BuildIds.Text(n.Description.ToArray())).FirstOrDefault();
                Assert.Equal(expected, BuildIds.Read(path));
                if (expected is not null) withId++;
            }
            Assert.True(withId > 0, "libc and the runtime's libraries have build ids");
        }

        [Fact]
        public void A_build_id_is_found_after_other_notes_and_a_short_one_is_padded_as_the_kernel_pads_it()
        {
            byte[] notes =
            {
                4, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, (byte)'G', (byte)'N', (byte)'U', 0, // NT_GNU_ABI_TAG: not an id
                0, 0, 0, 0, 3, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0,
                4, 0, 0, 0, 16, 0, 0, 0, 3, 0, 0, 0, (byte)'G', (byte)'N', (byte)'U', 0, // NT_GNU_BUILD_ID of 16 bytes (md5)
                0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
            };
            Assert.Equal("deadbeef0102030405060708090a0b0c00000000", BuildIds.Find(notes));
            Assert.Null(BuildIds.Find(notes.AsSpan(0, 32)));
            Assert.Null(BuildIds.Find(notes.AsSpan(0, 40)));
            Assert.Null(BuildIds.Read("/proc/self/status"));
            Assert.Null(BuildIds.Read("/nonexistent/libx.so"));
        }

        [Fact]
        public void A_user_stack_value_gives_frames_by_build_id_and_by_address_up_to_the_first_empty_one()
        {
            var value = new byte[4 * 32];
            value[0] = 1; // BPF_STACK_BUILD_ID_VALID
            for (int i = 0; i < 20; i++) value[4 + i] = (byte)(i + 1);
            BitConverter.TryWriteBytes(value.AsSpan(24), 0x1234UL);
            value[32] = 2; // BPF_STACK_BUILD_ID_IP
            BitConverter.TryWriteBytes(value.AsSpan(32 + 24), 0x7f0000001000UL);
            value[96] = 1; // after the empty third: not read
            var entries = StackTable.UserEntries(value);
            Assert.Equal(new[]
            {
                new UserStackEntry("0102030405060708090a0b0c0d0e0f1011121314", 0x1234),
                new UserStackEntry(null, 0x7f0000001000),
            }, entries);
        }
    }
}
