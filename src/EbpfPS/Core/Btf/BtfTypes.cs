using System.Collections.Generic;

namespace EbpfPS.Core.Btf
{
    /// <summary>One type of a BTF blob (see the kernel's Documentation/bpf/btf.rst). Ids are the blob's own;
    /// id 0 is void. Only what decoding and encoding values needs is kept.</summary>
    internal abstract record BtfType(uint Id, string Name);

    internal sealed record BtfVoid() : BtfType(0, "void");

    /// <summary>An integer; <see cref="Bits"/> and <see cref="BitOffset"/> narrow it to a bit field.</summary>
    internal sealed record BtfInt(uint Id, string Name, int Size, bool IsSigned, bool IsChar, bool IsBool, int BitOffset, int Bits)
        : BtfType(Id, Name);

    internal sealed record BtfPointer(uint Id, uint Target) : BtfType(Id, "");

    internal sealed record BtfArray(uint Id, uint ElementType, int Length) : BtfType(Id, "");

    /// <summary>A struct or union member; an empty name is an anonymous struct or union whose members
    /// belong to the enclosing type, as in C.</summary>
    internal readonly record struct BtfMember(string Name, uint Type, int BitOffset, int BitfieldSize);

    internal sealed record BtfComposite(uint Id, string Name, bool IsUnion, int Size, IReadOnlyList<BtfMember> Members)
        : BtfType(Id, Name);

    internal readonly record struct BtfEnumerator(string Name, long Value);

    /// <summary>ENUM and ENUM64 alike: values are kept as 64 bits, read as unsigned when not signed.</summary>
    internal sealed record BtfEnum(uint Id, string Name, int Size, bool IsSigned, IReadOnlyList<BtfEnumerator> Values)
        : BtfType(Id, Name);

    internal sealed record BtfFloat(uint Id, string Name, int Size) : BtfType(Id, Name);

    internal enum BtfQualifier { Typedef, Volatile, Const, Restrict, TypeTag }

    /// <summary>typedef, const, volatile, restrict and type tags: the same bytes as <see cref="Target"/>.</summary>
    internal sealed record BtfAlias(uint Id, string Name, BtfQualifier Qualifier, uint Target) : BtfType(Id, Name);

    internal sealed record BtfVariable(uint Id, string Name, uint Type) : BtfType(Id, Name);

    internal readonly record struct BtfSectionVariable(uint Type, int Offset, int Size);

    /// <summary>A data section (.bss, .data, .rodata): the value type of libbpf's global-variable maps.</summary>
    internal sealed record BtfSection(uint Id, string Name, int Size, IReadOnlyList<BtfSectionVariable> Variables)
        : BtfType(Id, Name);

    /// <summary>A function (FUNC): its name and the id of its prototype.</summary>
    internal sealed record BtfFunc(uint Id, string Name, uint Prototype) : BtfType(Id, Name);

    internal readonly record struct BtfParam(string Name, uint Type);

    /// <summary>A function prototype (FUNC_PROTO): return type and parameters.</summary>
    internal sealed record BtfFuncProto(uint Id, uint ReturnType, IReadOnlyList<BtfParam> Parameters) : BtfType(Id, "");

    /// <summary>A forward declaration of a struct or union.</summary>
    internal sealed record BtfForward(uint Id, string Name, bool IsUnion) : BtfType(Id, Name);

    /// <summary>Kinds that carry no value layout here: declaration tags.</summary>
    internal sealed record BtfOther(uint Id, string Name, int Kind) : BtfType(Id, Name);
}
