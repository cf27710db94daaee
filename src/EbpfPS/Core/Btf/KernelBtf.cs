using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using EbpfPS.Interop;
using RawBtfType = EbpfPS.Interop.BtfType;

namespace EbpfPS.Core.Btf
{
    /// <summary>How a value of a BTF type is to be shown: as a signed or unsigned integer of some size, a
    /// pointer, a bool, an enum with names, or as raw bits.</summary>
    internal enum ValueShape { Unsigned, Signed, Bool, Pointer, Enum, Void, Other }

    internal sealed record BtfValueType(string Name, ValueShape Shape, int Size, IReadOnlyDictionary<long, string>? EnumNames = null)
    {
        /// <summary>A register's 64 bits as a value of this type: sign-extended, cut to size, an enum's name.</summary>
        internal object Decode(ulong raw) => Shape switch
        {
            ValueShape.Signed => Size switch { 1 => (object)(sbyte)raw, 2 => (short)raw, 4 => (int)raw, _ => (long)raw },
            ValueShape.Unsigned => Size switch { 1 => (object)(byte)raw, 2 => (ushort)raw, 4 => (uint)raw, _ => raw },
            ValueShape.Bool => raw != 0,
            ValueShape.Enum => EnumNames!.TryGetValue(Size == 8 ? (long)raw : (int)raw, out var name) ? name : (long)raw,
            _ => raw,
        };

        /// <summary>"name=value", pointers in hex.</summary>
        internal string Text(string name, object value) =>
            Shape == ValueShape.Pointer ? $"{name}=0x{value:x}" : $"{name}={Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}";
    }

    internal sealed record BtfParameter(string Name, BtfValueType Type);

    /// <summary>A kernel function as its BTF declares it: name, parameters, return type.</summary>
    internal sealed record BtfFunction(string Name, IReadOnlyList<BtfParameter> Parameters, BtfValueType ReturnType)
    {
        /// <summary>C-like: "int do_unlinkat(int dfd, struct filename * name)".</summary>
        public string Prototype =>
            $"{ReturnType.Name} {Name}({(Parameters.Count == 0 ? "void" : string.Join(", ", Parameters.Select(p => $"{p.Type.Name} {p.Name}")))})";
    }

    /// <summary>The running kernel's own BTF (/sys/kernel/btf/vmlinux), for function prototypes.</summary>
    internal sealed unsafe class KernelBtf : IDisposable
    {
        private readonly BtfHandle _btf;
        private Dictionary<string, uint>? _functionIds;

        private KernelBtf(BtfHandle btf) => _btf = btf;

        internal static KernelBtf Load()
        {
            nint btf = Libbpf.btf__load_vmlinux_btf();
            if (btf == 0)
                throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.KernelBtfMissing, "Reading the kernel's BTF failed",
                    "Boot a kernel built with CONFIG_DEBUG_INFO_BTF=y.");
            return new KernelBtf(new BtfHandle(btf));
        }

        private nint Btf => _btf.DangerousGetHandle();

        /// <summary>The function's prototype, or null when BTF does not describe it.</summary>
        internal BtfFunction? Function(string name)
        {
            _functionIds ??= FunctionIds();
            if (!_functionIds.TryGetValue(name, out uint id)) return null;
            RawBtfType* function = Type(id);
            RawBtfType* prototype = Type(function->SizeOrType);
            var parameters = new List<BtfParameter>(prototype->Vlen);
            var items = (uint*)(prototype + 1); // struct btf_param { name_off, type }
            for (int i = 0; i < prototype->Vlen; i++)
                parameters.Add(new BtfParameter(Name(items[2 * i]), ValueType(items[2 * i + 1])));
            return new BtfFunction(name, parameters, ValueType(prototype->SizeOrType));
        }

        /// <summary>Every FUNC by name, read once: looking each name up by itself scans all types every time,
        /// which makes listing thousands of functions quadratic.</summary>
        private Dictionary<string, uint> FunctionIds()
        {
            var ids = new Dictionary<string, uint>(StringComparer.Ordinal);
            uint count = Libbpf.btf__type_cnt(Btf);
            for (uint id = 1; id < count; id++)
            {
                RawBtfType* type = Type(id);
                if (type->Kind == BtfKind.Function) ids.TryAdd(Name(type->NameOffset), id);
            }
            return ids;
        }

        private RawBtfType* Type(uint id) => Libbpf.btf__type_by_id(Btf, id);

        private string Name(uint offset) => Marshal.PtrToStringUTF8(Libbpf.btf__name_by_offset(Btf, offset)) ?? "";

        /// <summary>Follows typedefs and qualifiers to what decides how a value looks, keeping the spelled name.</summary>
        private BtfValueType ValueType(uint id)
        {
            string name = TypeName(id);
            while (true)
            {
                if (id == 0) return new BtfValueType("void", ValueShape.Void, 0);
                RawBtfType* type = Type(id);
                switch (type->Kind)
                {
                    case BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag:
                        id = type->SizeOrType;
                        continue;
                    case BtfKind.Int:
                        uint encoding = *(uint*)(type + 1) >> 24;
                        var shape = (encoding & 4) != 0 ? ValueShape.Bool : (encoding & 1) != 0 ? ValueShape.Signed : ValueShape.Unsigned;
                        return new BtfValueType(name, shape, (int)type->SizeOrType);
                    case BtfKind.Pointer:
                        return new BtfValueType(name, ValueShape.Pointer, 8);
                    case BtfKind.Enum or BtfKind.Enum64:
                        return new BtfValueType(name, ValueShape.Enum, (int)type->SizeOrType, EnumNames(type));
                    default:
                        return new BtfValueType(name, ValueShape.Other, (int)Math.Max(0, Libbpf.btf__resolve_size(Btf, id)));
                }
            }
        }

        private Dictionary<long, string> EnumNames(RawBtfType* type)
        {
            var names = new Dictionary<long, string>();
            var members = (uint*)(type + 1);
            bool wide = type->Kind == BtfKind.Enum64;
            for (int i = 0; i < type->Vlen; i++)
            {
                long value = wide
                    ? (long)((ulong)members[3 * i + 1] | ((ulong)members[3 * i + 2] << 32))
                    : (int)members[2 * i + 1];
                names.TryAdd(value, Name(members[wide ? 3 * i : 2 * i]));
            }
            return names;
        }

        /// <summary>The type as C spells it: "const char *", "struct filename *", "size_t".</summary>
        private string TypeName(uint id)
        {
            if (id == 0) return "void";
            RawBtfType* type = Type(id);
            string name = Name(type->NameOffset);
            return type->Kind switch
            {
                BtfKind.Pointer => TypeName(type->SizeOrType) + " *",
                BtfKind.Const => "const " + TypeName(type->SizeOrType),
                BtfKind.Volatile => "volatile " + TypeName(type->SizeOrType),
                BtfKind.Restrict or BtfKind.TypeTag => TypeName(type->SizeOrType),
                BtfKind.Struct => "struct " + name,
                BtfKind.Union => "union " + name,
                BtfKind.Enum or BtfKind.Enum64 => "enum " + name,
                BtfKind.Forward => ((type->Info & 0x8000_0000) != 0 ? "union " : "struct ") + name,
                BtfKind.FunctionPrototype => "void (*)()",
                _ => name,
            };
        }

        public void Dispose() => _btf.Dispose();
    }
}
