using System;
using EbpfPS.Interop;

namespace EbpfPS.Core.Btf
{
    /// <summary>Where BtfSpecs come from: a loaded object's struct btf* (libbpf), the kernel by BTF id
    /// (what a map's or program's btf_id names), or the kernel's own vmlinux BTF.</summary>
    internal static unsafe class BtfLoader
    {
        /// <summary>A copy of a libbpf struct btf*, so the spec outlives it (e.g. bpf_object__btf).</summary>
        internal static BtfSpec FromLibbpf(nint btf)
        {
            uint size;
            byte* raw = (byte*)Libbpf.btf__raw_data(btf, &size);
            if (raw == null) throw new BpfException(BpfErrorKind.ReadFailed, "libbpf could not serialize a BTF object.");
            return BtfSpec.Parse(new ReadOnlySpan<byte>(raw, (int)size).ToArray());
        }

        /// <summary>The BTF object with this id, or null when it cannot be had (gone, or split BTF of a module).</summary>
        internal static BtfSpec? TryFromKernel(uint btfId)
        {
            if (btfId == 0) return null;
            nint btf = Libbpf.btf__load_from_kernel_by_id(btfId);
            if (btf == 0) return null;
            try { return FromLibbpf(btf); }
            catch (FormatException) { return null; }
            finally { Libbpf.btf__free(btf); }
        }
    }
}
