using System.Collections.Generic;
using System.Runtime.InteropServices;
using EbpfPS.Interop;

namespace EbpfPS.Core
{
    /// <summary>The layout of a struct as BTF describes it: what decoders and drift tests rely on.</summary>
    internal static unsafe class BtfStruct
    {
        internal readonly record struct Member(string Name, int Offset, int Size);

        [StructLayout(LayoutKind.Sequential)]
        private struct BtfMember
        {
            public uint NameOffset;
            public uint Type;
            public uint Offset; // bits; with kind_flag: bitfield size in the top 8 bits
        }

        /// <summary>Members of struct <paramref name="name"/> with byte offsets and sizes, or null if absent.</summary>
        internal static (int Size, List<Member> Members)? Layout(nint btf, string name)
        {
            int id = btf == 0 ? -1 : Libbpf.btf__find_by_name_kind(btf, name, BtfKind.Struct);
            if (id <= 0) return null;
            BtfType* type = Libbpf.btf__type_by_id(btf, (uint)id);
            bool kindFlag = (type->Info & 0x8000_0000) != 0;
            var members = (BtfMember*)(type + 1);
            var result = new List<Member>(type->Vlen);
            for (int i = 0; i < type->Vlen; i++)
            {
                uint bits = kindFlag ? members[i].Offset & 0xff_ffff : members[i].Offset;
                result.Add(new Member(
                    Marshal.PtrToStringUTF8(Libbpf.btf__name_by_offset(btf, members[i].NameOffset)) ?? "",
                    (int)(bits / 8),
                    (int)Libbpf.btf__resolve_size(btf, members[i].Type)));
            }
            return ((int)type->SizeOrType, result);
        }
    }
}
