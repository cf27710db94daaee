using System.Runtime.InteropServices;
using EbpfPS.Interop;

namespace EbpfPS.Core
{
    /// <summary>Finds a global variable in a BTF DATASEC (.rodata, .bss, .data): its offset and size.</summary>
    internal static unsafe class BtfDataSection
    {
        internal static (int Offset, int Size)? Find(nint btf, string section, string variable)
        {
            if (btf == 0) return null;
            int id = Libbpf.btf__find_by_name_kind(btf, section, BtfKind.DataSection);
            if (id <= 0) return null;
            BtfType* type = Libbpf.btf__type_by_id(btf, (uint)id);
            var members = (BtfVarSectionInfo*)(type + 1);
            for (int i = 0; i < type->Vlen; i++)
            {
                BtfType* var = Libbpf.btf__type_by_id(btf, members[i].Type);
                if (Marshal.PtrToStringUTF8(Libbpf.btf__name_by_offset(btf, var->NameOffset)) == variable)
                    return ((int)members[i].Offset, (int)members[i].Size);
            }
            return null;
        }
    }
}
