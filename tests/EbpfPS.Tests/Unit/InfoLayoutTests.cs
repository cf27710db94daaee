using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using EbpfPS.Core.Btf;
using EbpfPS.Interop;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Drift: the C# mirrors of bpf_prog_info and bpf_map_info, and the link-info offsets the reader
    /// uses, agree with the running kernel's own BTF of those uapi structs.</summary>
    public class InfoLayoutTests
    {
        private static readonly Lazy<BtfSpec?> Kernel = new(() =>
            File.Exists("/sys/kernel/btf/vmlinux") ? BtfSpec.Parse(File.ReadAllBytes("/sys/kernel/btf/vmlinux")) : null);

        private static BtfComposite Struct(string name)
        {
            var spec = Kernel.Value ?? throw new Xunit.Sdk.XunitException("the kernel has no BTF to check against");
            return (BtfComposite)spec[spec.Find<BtfComposite>(name)!.Value];
        }

        [Theory]
        [InlineData("bpf_prog_info", typeof(NativeProgramInfo), new[] { "type", "id", "tag", "load_time", "created_by_uid", "nr_map_ids", "map_ids", "name", "btf_id", "run_time_ns", "run_cnt", "verified_insns", "attach_btf_id" },
            new[] { "Type", "Id", "Tag", "LoadTime", "CreatedByUid", "MapIdCount", "MapIds", "Name", "BtfId", "RunTimeNs", "RunCount", "VerifiedInstructions", "AttachBtfId" })]
        [InlineData("bpf_map_info", typeof(NativeMapInfo), new[] { "type", "id", "key_size", "value_size", "max_entries", "map_flags", "name", "btf_id", "btf_key_type_id", "btf_value_type_id", "map_extra" },
            new[] { "Type", "Id", "KeySize", "ValueSize", "MaxEntries", "MapFlags", "Name", "BtfId", "BtfKeyTypeId", "BtfValueTypeId", "MapExtra" })]
        public void Info_mirrors_match_the_kernels_btf(string structName, Type mirror, string[] members, string[] fields)
        {
            Assert.SkipWhen(Kernel.Value is null, "the kernel has no BTF at /sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF) to check against");
            var kernel = Struct(structName);
            bool all = true;
            foreach (var (member, field) in members.Zip(fields))
            {
                int offset = (int)Marshal.OffsetOf(mirror, field);
                var known = kernel.Members.Where(m => m.Name == member).Cast<BtfMember?>().SingleOrDefault();
                if (known is { } m)
                    Assert.True(m.BitOffset / 8 == offset, $"{structName}.{member}");
                else // an older kernel's struct ends before the members added since, and fills only what it has
                    Assert.True(offset >= kernel.Size, $"{structName}.{member} is missing, yet {mirror.Name} puts it inside the kernel's struct");
                all &= known is not null;
            }
            if (all) Assert.True(Marshal.SizeOf(mirror) <= kernel.Size, $"{mirror.Name} is longer than {structName}");
        }

        [Theory]
        [InlineData("raw_tracepoint", "tp_name", 0)]
        [InlineData("raw_tracepoint", "tp_name_len", 8)]
        [InlineData("tracing", "target_btf_id", 8)]
        [InlineData("cgroup", "attach_type", 8)]
        [InlineData("netns", "attach_type", 4)]
        [InlineData("kprobe_multi", "count", 8)]
        [InlineData("uprobe_multi", "path_size", 32)]
        [InlineData("uprobe_multi", "count", 36)]
        [InlineData("tcx", "attach_type", 4)]
        public void Link_info_union_offsets_match_the_kernels_btf(string variant, string member, int offset)
        {
            Assert.SkipWhen(Kernel.Value is null, "the kernel has no BTF at /sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF) to check against");
            var spec = Kernel.Value;
            var linkInfo = Struct("bpf_link_info");
            var union = linkInfo.Members.Single(m => m.Name.Length == 0);
            Assert.Equal(16, union.BitOffset / 8); // where NativeLinkInfo.Union starts
            Assert.Equal(16, (int)Marshal.OffsetOf<NativeLinkInfo>(nameof(NativeLinkInfo.Union)));
            var variants = (BtfComposite)spec.Resolve(union.Type);
            Assert.SkipUnless(variants.Members.Any(m => m.Name == variant), $"this kernel's bpf_link_info has no {variant} (newer kernels describe such links)");
            var variantStruct = (BtfComposite)spec.Resolve(variants.Members.Single(m => m.Name == variant).Type);
            Assert.SkipUnless(variantStruct.Members.Any(m => m.Name == member), $"this kernel's bpf_link_info.{variant} has no {member} (newer kernels describe more)");
            Assert.Equal(offset, variantStruct.Members.Single(m => m.Name == member).BitOffset / 8);
        }

        [Fact]
        public void Perf_event_link_names_sit_where_the_reader_puts_its_buffer()
        {
            Assert.SkipWhen(Kernel.Value is null, "the kernel has no BTF at /sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF) to check against");
            var spec = Kernel.Value;
            var variants = (BtfComposite)spec.Resolve(Struct("bpf_link_info").Members.Single(m => m.Name.Length == 0).Type);
            Assert.SkipUnless(variants.Members.Any(m => m.Name == "perf_event"), "this kernel's bpf_link_info has no perf_event (6.6+ describe perf event links)");
            var perfEvent = (BtfComposite)spec.Resolve(variants.Members.Single(m => m.Name == "perf_event").Type);
            var inner = perfEvent.Members.Single(m => m.Name.Length == 0);
            Assert.Equal(8, inner.BitOffset / 8);
            foreach (var kind in new[] { "uprobe", "kprobe", "tracepoint" })
            {
                var variant = (BtfComposite)spec.Resolve(((BtfComposite)spec.Resolve(inner.Type)).Members.Single(m => m.Name == kind).Type);
                Assert.Equal(0, variant.Members[0].BitOffset);     // the name pointer: union + 8
                Assert.Equal(8, variant.Members.Single(m => m.Name == "name_len").BitOffset / 8); // its length: union + 16
            }
        }
    }
}
