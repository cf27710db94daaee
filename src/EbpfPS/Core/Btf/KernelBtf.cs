using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;

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

        /// <summary>A `char *`, which points to text (when it is no buffer yet to be filled).</summary>
        internal bool IsString => Shape == ValueShape.Pointer &&
            Name.Replace("const ", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal) is "char*" or "unsignedchar*" or "signedchar*";

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

    /// <summary>The running kernel's own BTF (/sys/kernel/btf/vmlinux, raw BTF), for function prototypes.</summary>
    internal sealed class KernelBtf
    {
        private readonly BtfSpec _spec;
        private Dictionary<string, uint>? _functionIds;

        private KernelBtf(BtfSpec spec) => _spec = spec;

        internal static KernelBtf Load(string path = KernelSupport.KernelBtfPath)
        {
            try { return new KernelBtf(BtfSpec.Parse(File.ReadAllBytes(path))); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                throw new BpfException(BpfErrorKind.KernelBtfMissing, $"Reading the kernel's BTF ({path}) failed: {e.Message}",
                    "Boot a kernel built with CONFIG_DEBUG_INFO_BTF=y.", e);
            }
        }

        /// <summary>The function's prototype, or null when BTF does not describe it.</summary>
        internal BtfFunction? Function(string name)
        {
            _functionIds ??= FunctionIds();
            if (!_functionIds.TryGetValue(name, out uint id) || _spec[((BtfFunc)_spec[id]).Prototype] is not BtfFuncProto prototype) return null;
            var parameters = prototype.Parameters.Select(p => new BtfParameter(p.Name, ValueType(p.Type))).ToList();
            return new BtfFunction(name, parameters, ValueType(prototype.ReturnType));
        }

        /// <summary>Every FUNC by name, read once: looking each name up by itself scans all types every time,
        /// which makes listing thousands of functions quadratic.</summary>
        private Dictionary<string, uint> FunctionIds()
        {
            var ids = new Dictionary<string, uint>(StringComparer.Ordinal);
            for (uint id = 1; id < _spec.Count; id++)
                if (_spec.KindOf(id) == BtfKind.Function) ids.TryAdd(_spec.NameOfId(id), id);
            return ids;
        }

        /// <summary>Follows typedefs and qualifiers to what decides how a value looks, keeping the spelled name.</summary>
        private BtfValueType ValueType(uint id)
        {
            string name = TypeName(id);
            return _spec.Resolve(id) switch
            {
                BtfVoid => new BtfValueType("void", ValueShape.Void, 0),
                BtfInt { IsBool: true } i => new BtfValueType(name, ValueShape.Bool, i.Size),
                BtfInt i => new BtfValueType(name, i.IsSigned ? ValueShape.Signed : ValueShape.Unsigned, i.Size),
                BtfPointer => new BtfValueType(name, ValueShape.Pointer, 8),
                BtfEnum e => new BtfValueType(name, ValueShape.Enum, e.Size, EnumNames(e)),
                var other => new BtfValueType(name, ValueShape.Other, _spec.SizeOf(other.Id)),
            };
        }

        private static Dictionary<long, string> EnumNames(BtfEnum e)
        {
            var names = new Dictionary<long, string>();
            foreach (var value in e.Values) names.TryAdd(e.Size == 8 ? value.Value : (int)value.Value, value.Name);
            return names;
        }

        /// <summary>The type as C spells it: "const char *", "struct filename *", "size_t".</summary>
        private string TypeName(uint id) => _spec[id] switch
        {
            BtfVoid => "void",
            BtfPointer p => TypeName(p.Target) + " *",
            BtfAlias { Qualifier: BtfQualifier.Const } a => "const " + TypeName(a.Target),
            BtfAlias { Qualifier: BtfQualifier.Volatile } a => "volatile " + TypeName(a.Target),
            BtfAlias { Qualifier: BtfQualifier.Restrict or BtfQualifier.TypeTag } a => TypeName(a.Target),
            BtfComposite c => (c.IsUnion ? "union " : "struct ") + c.Name,
            BtfEnum e => "enum " + e.Name,
            BtfForward f => (f.IsUnion ? "union " : "struct ") + f.Name,
            BtfFuncProto => "void (*)()",
            var t => t.Name,
        };
    }
}
