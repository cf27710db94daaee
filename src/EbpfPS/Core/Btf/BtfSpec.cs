using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace EbpfPS.Core.Btf
{
    /// <summary>The types of one BTF blob (a map's, a program object's, the kernel's), parsed from its raw
    /// bytes. Independent of libbpf's lifetime: it keeps a copy of the blob and an index of where each type
    /// starts, and builds the type objects on first use, so that even vmlinux BTF is cheap to open.</summary>
    internal sealed class BtfSpec
    {
        private const ushort Magic = 0xeB9F;
        private const int TypeHeaderSize = 12;

        private readonly byte[] _raw;
        private readonly int _typesStart, _stringsStart, _stringsLength;
        private readonly List<int> _offsets = new() { -1 }; // by id; id 0 is void
        private readonly Dictionary<uint, BtfType> _types = new();

        private BtfSpec(byte[] raw, int typesStart, int typesLength, int stringsStart, int stringsLength)
        {
            _raw = raw;
            _typesStart = typesStart;
            _stringsStart = stringsStart;
            _stringsLength = stringsLength;
            for (int offset = typesStart; offset < typesStart + typesLength; offset += TypeLength(offset))
                _offsets.Add(offset);
        }

        /// <summary>Parses a raw BTF blob (what btf__raw_data gives, or the .BTF section of an object).</summary>
        internal static BtfSpec Parse(byte[] raw)
        {
            var span = raw.AsSpan();
            if (raw.Length < 24 || BinaryPrimitives.ReadUInt16LittleEndian(span) != Magic)
                throw new FormatException("The data is not little-endian BTF (magic 0xeB9F).");
            int headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[4..]);
            int typeOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
            int typeLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[12..]);
            int stringOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[16..]);
            int stringLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[20..]);
            if ((long)headerLength + Math.Max((long)typeOffset + typeLength, (long)stringOffset + stringLength) > raw.Length)
                throw new FormatException("The BTF header points past the end of the data.");
            return new BtfSpec(raw, headerLength + typeOffset, typeLength, headerLength + stringOffset, stringLength);
        }

        /// <summary>Number of ids, void included: valid ids are 0 to Count - 1.</summary>
        internal int Count => _offsets.Count;

        internal BtfType this[uint id]
        {
            get
            {
                if (id == 0) return new BtfVoid();
                if (id >= _offsets.Count) throw new ArgumentOutOfRangeException(nameof(id), $"BTF has no type {id}.");
                if (!_types.TryGetValue(id, out var type)) _types[id] = type = Read(id, _offsets[(int)id]);
                return type;
            }
        }

        /// <summary>The type behind typedefs, qualifiers and variables.</summary>
        internal BtfType Resolve(uint id)
        {
            var type = this[id];
            for (int hops = 0; hops < 64; hops++)
            {
                switch (type)
                {
                    case BtfAlias alias: type = this[alias.Target]; break;
                    case BtfVariable variable: type = this[variable.Type]; break;
                    default: return type;
                }
            }
            throw new FormatException($"BTF type {id} is a loop of typedefs.");
        }

        /// <summary>Bytes a value of the type takes; 0 for void, functions and forward declarations.</summary>
        internal int SizeOf(uint id) => Resolve(id) switch
        {
            BtfInt i => i.Size,
            BtfPointer => 8,
            BtfArray a => a.Length * SizeOf(a.ElementType),
            BtfComposite c => c.Size,
            BtfEnum e => e.Size,
            BtfFloat f => f.Size,
            BtfSection s => s.Size,
            _ => 0,
        };

        /// <summary>The id of the first type named <paramref name="name"/> of that kind, or null.</summary>
        internal uint? Find<T>(string name) where T : BtfType
        {
            for (uint id = 1; id < _offsets.Count; id++)
                if (NameAt(_offsets[(int)id]) == name && this[id] is T) return id;
            return null;
        }

        /// <summary>The C spelling of a type for messages: "struct flow_key", "__u32", "char[16]".</summary>
        internal string NameOf(uint id) => this[id] switch
        {
            BtfVoid => "void",
            BtfComposite c => (c.IsUnion ? "union " : "struct ") + (c.Name.Length > 0 ? c.Name : "(anonymous)"),
            BtfEnum e => "enum " + (e.Name.Length > 0 ? e.Name : "(anonymous)"),
            BtfArray a => $"{NameOf(a.ElementType)}[{a.Length}]",
            BtfPointer p => NameOf(p.Target) + " *",
            BtfAlias { Qualifier: not BtfQualifier.Typedef } q => $"{q.Qualifier.ToString().ToLowerInvariant()} {NameOf(q.Target)}",
            BtfVariable v => NameOf(v.Type),
            var t => t.Name,
        };

        private uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(_raw.AsSpan(offset));

        private string NameAt(int typeOffset) => String(U32(typeOffset));

        private string String(uint offset)
        {
            if (offset >= _stringsLength) return "";
            return CStrings.Read(_raw.AsSpan(_stringsStart + (int)offset, _stringsLength - (int)offset));
        }

        private static uint Kind(uint info) => (info >> 24) & 0x1f;

        /// <summary>The kind of type <paramref name="id"/> (BtfKind), without building the type: for scans of vmlinux.</summary>
        internal uint KindOf(uint id) => id == 0 || id >= _offsets.Count ? 0 : Kind(U32(_offsets[(int)id] + 4));

        /// <summary>The name of type <paramref name="id"/>, without building the type.</summary>
        internal string NameOfId(uint id) => id == 0 || id >= _offsets.Count ? "" : NameAt(_offsets[(int)id]);

        /// <summary>Bytes of the type at <paramref name="offset"/>: its header and what its kind appends.</summary>
        private int TypeLength(int offset)
        {
            uint info = U32(offset + 4);
            int vlen = (int)(info & 0xffff);
            return TypeHeaderSize + Kind(info) switch
            {
                BtfKind.Int or BtfKind.Var or BtfKind.DeclarationTag => 4,
                BtfKind.Array => 12,
                BtfKind.Struct or BtfKind.Union or BtfKind.Enum64 or BtfKind.DataSection => 12 * vlen,
                BtfKind.Enum or BtfKind.FunctionPrototype => 8 * vlen,
                _ => 0,
            };
        }

        private BtfType Read(uint id, int offset)
        {
            string name = NameAt(offset);
            uint info = U32(offset + 4);
            int vlen = (int)(info & 0xffff);
            bool kindFlag = (info & 0x8000_0000) != 0;
            uint sizeOrType = U32(offset + 8);
            int extra = offset + TypeHeaderSize;
            switch (Kind(info))
            {
                case BtfKind.Int:
                    uint encoding = U32(extra);
                    return new BtfInt(id, name, (int)sizeOrType, IsSigned: (encoding & 0x0100_0000) != 0,
                        IsChar: (encoding & 0x0200_0000) != 0, IsBool: (encoding & 0x0400_0000) != 0,
                        BitOffset: (int)((encoding >> 16) & 0xff), Bits: (int)(encoding & 0xff));
                case BtfKind.Pointer:
                    return new BtfPointer(id, sizeOrType);
                case BtfKind.Array:
                    return new BtfArray(id, U32(extra), (int)U32(extra + 8));
                case BtfKind.Struct or BtfKind.Union:
                    var members = new BtfMember[vlen];
                    for (int i = 0; i < vlen; i++)
                    {
                        int m = extra + 12 * i;
                        uint bits = U32(m + 8);
                        members[i] = kindFlag
                            ? new BtfMember(String(U32(m)), U32(m + 4), (int)(bits & 0xff_ffff), (int)(bits >> 24))
                            : new BtfMember(String(U32(m)), U32(m + 4), (int)bits, 0);
                    }
                    return new BtfComposite(id, name, Kind(info) == BtfKind.Union, (int)sizeOrType, members);
                case BtfKind.Enum:
                    var values = new BtfEnumerator[vlen];
                    for (int i = 0; i < vlen; i++)
                    {
                        int raw = (int)U32(extra + 8 * i + 4);
                        values[i] = new BtfEnumerator(String(U32(extra + 8 * i)), kindFlag ? raw : (uint)raw);
                    }
                    return new BtfEnum(id, name, (int)sizeOrType, kindFlag, values);
                case BtfKind.Enum64:
                    var values64 = new BtfEnumerator[vlen];
                    for (int i = 0; i < vlen; i++)
                    {
                        int e = extra + 12 * i;
                        values64[i] = new BtfEnumerator(String(U32(e)), (long)(((ulong)U32(e + 8) << 32) | U32(e + 4)));
                    }
                    return new BtfEnum(id, name, (int)sizeOrType, kindFlag, values64);
                case BtfKind.Typedef: return new BtfAlias(id, name, BtfQualifier.Typedef, sizeOrType);
                case BtfKind.Volatile: return new BtfAlias(id, name, BtfQualifier.Volatile, sizeOrType);
                case BtfKind.Const: return new BtfAlias(id, name, BtfQualifier.Const, sizeOrType);
                case BtfKind.Restrict: return new BtfAlias(id, name, BtfQualifier.Restrict, sizeOrType);
                case BtfKind.TypeTag: return new BtfAlias(id, name, BtfQualifier.TypeTag, sizeOrType);
                case BtfKind.Var:
                    return new BtfVariable(id, name, sizeOrType);
                case BtfKind.DataSection:
                    var variables = new BtfSectionVariable[vlen];
                    for (int i = 0; i < vlen; i++)
                    {
                        int v = extra + 12 * i;
                        variables[i] = new BtfSectionVariable(U32(v), (int)U32(v + 4), (int)U32(v + 8));
                    }
                    return new BtfSection(id, name, (int)sizeOrType, variables);
                case BtfKind.Float:
                    return new BtfFloat(id, name, (int)sizeOrType);
                case BtfKind.Function:
                    return new BtfFunc(id, name, sizeOrType);
                case BtfKind.FunctionPrototype:
                    var parameters = new BtfParam[vlen];
                    for (int i = 0; i < vlen; i++) parameters[i] = new BtfParam(String(U32(extra + 8 * i)), U32(extra + 8 * i + 4));
                    return new BtfFuncProto(id, sizeOrType, parameters);
                case BtfKind.Forward:
                    return new BtfForward(id, name, kindFlag);
                default:
                    return new BtfOther(id, name, (int)Kind(info));
            }
        }
    }
}
