namespace EbpfPS.Core.Btf
{
    /// <summary>The kinds of BTF types (include/uapi/linux/btf.h, BTF_KIND_*).</summary>
    internal static class BtfKind
    {
        internal const uint Int = 1, Pointer = 2, Array = 3, Struct = 4, Union = 5, Enum = 6, Forward = 7,
            Typedef = 8, Volatile = 9, Const = 10, Restrict = 11, Function = 12, FunctionPrototype = 13,
            Var = 14, DataSection = 15, Float = 16, DeclarationTag = 17, TypeTag = 18, Enum64 = 19;
    }
}
