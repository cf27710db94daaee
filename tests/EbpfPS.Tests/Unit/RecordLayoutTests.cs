using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System;
using EbpfPS.Core.Btf;
using EbpfPS.Core.Objects;
using EbpfPS.Core;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>The generator's own check: every struct it wrote (namespace EbpfPS.Bpf, from the BTF of the
    /// embedded objects) has the size, member names, offsets and sizes of its C struct as the BTF of an
    /// embedded object states them, in its fields and in the constants that name each member's place.</summary>
    public class RecordLayoutTests
    {
        private static readonly Assembly Module = typeof(BpfSkeleton).Assembly;

        public static TheoryData<string> GeneratedStructs() =>
            new(Module.GetTypes()
                .Where(t => t.Namespace == "EbpfPS.Bpf" && !t.IsNested && t.IsValueType && !t.IsEnum && t.GetCustomAttribute<InlineArrayAttribute>() is null)
                .Select(t => t.Name));

        /// <summary>The embedded objects, by the skeletons generated for them.</summary>
        private static IEnumerable<string> Sources() =>
            Module.GetTypes().Where(t => t.IsSubclassOf(typeof(BpfSkeleton)))
                .Select(t => (string)t.GetField("Source", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!);

        [Fact]
        public void Every_embedded_object_has_a_skeleton() =>
            Assert.Equal(new[] { "exec", "kfunc", "profile", "signal", "syscall", "tracepoint", "xdp_filter" }, Sources().Order());

        [Theory]
        [MemberData(nameof(GeneratedStructs))]
        public void A_generated_struct_has_the_layout_of_its_C_struct(string typeName)
        {
            var type = Module.GetType("EbpfPS.Bpf." + typeName)!;
            string cName = SnakeCase(typeName);
            var layout = Sources().Select(source =>
            {
                using var obj = BpfObject.Open(EmbeddedObjects.Read(source), source);
                return obj.Spec.Find<BtfComposite>(cName) is { } id ? (obj.Spec, Struct: (BtfComposite)obj.Spec[id]) : default;
            }).FirstOrDefault(l => l.Struct is not null);
            if (layout.Struct is null) throw new Xunit.Sdk.XunitException($"No embedded object has struct {cName}.");

            var fields = type.GetFields(BindingFlags.Public | BindingFlags.Instance);
            Assert.Equal(layout.Struct.Size, SizeOf(type));
            Assert.Equal(layout.Struct.Members.Select(m => m.Name), fields.Select(f => SnakeCase(f.Name)));
            foreach (var (member, field) in layout.Struct.Members.Zip(fields))
            {
                Assert.True(member.BitOffset / 8 == (int)Marshal.OffsetOf(type, field.Name), $"{cName}.{member.Name} offset");
                Assert.True(layout.Spec.SizeOf(member.Type) == FieldSize(field), $"{cName}.{member.Name} size");
                Assert.True(member.BitOffset / 8 == Constant(type, field.Name + "Offset"), $"{cName}.{member.Name}'s Offset constant");
                Assert.True(layout.Spec.SizeOf(member.Type) == Constant(type, field.Name + "Bytes"), $"{cName}.{member.Name}'s Bytes constant");
            }
        }

        private static int Constant(Type type, string name) =>
            (int)(type.GetField(name, BindingFlags.NonPublic | BindingFlags.Static)?.GetRawConstantValue()
                  ?? throw new Xunit.Sdk.XunitException($"{type.Name} has no constant {name}."));

        private static int SizeOf(Type type) =>
            (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;

        private static int FieldSize(FieldInfo field) =>
            field.GetCustomAttribute<FixedBufferAttribute>() is { } buffer
                ? buffer.Length * SizeOf(buffer.ElementType)
                : SizeOf(field.FieldType);

        /// <summary>TimestampNs -> timestamp_ns, SenderCmdline -> sender_cmdline, Sig -> sig.</summary>
        private static string SnakeCase(string name)
        {
            var text = new StringBuilder();
            foreach (char c in name)
            {
                if (char.IsUpper(c) && text.Length > 0) text.Append('_');
                text.Append(char.ToLowerInvariant(c));
            }
            return text.ToString();
        }
    }
}
