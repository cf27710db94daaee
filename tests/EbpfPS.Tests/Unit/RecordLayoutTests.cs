using System;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using EbpfPS.Core;
using EbpfPS.Probes;
using EbpfPS.Probes.Exec;
using EbpfPS.Probes.KernelFunctions;
using EbpfPS.Probes.Signals;
using EbpfPS.Probes.Syscalls;
using EbpfPS.Probes.Tracepoints;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Drift: each C record of bpf/*.h and its C# mirror agree on size, member names, offsets
    /// and sizes, as the BTF of the compiled object states them.</summary>
    public class RecordLayoutTests
    {
        [Theory]
        [InlineData("signal", "signal_generate_record", typeof(SignalGenerateRecord), null)]
        [InlineData("signal", "signal_target_record", typeof(SignalTargetRecord), null)]
        [InlineData("tracepoint", "tracepoint_layout", typeof(TracepointLayout), null)]
        [InlineData("tracepoint", "tracepoint_record", typeof(TracepointRecordHeader), "data")]
        [InlineData("syscall", "syscall_spec", typeof(SyscallSpec), null)]
        [InlineData("syscall", "syscall_record", typeof(SyscallRecord), null)]
        [InlineData("exec", "exec_record", typeof(ExecRecord), null)]
        [InlineData("kfunc", "kfunc_record", typeof(KernelFunctionRecord), null)]
        [InlineData("syscall", "pid_set", typeof(TaskFilter.PidSet), null)]
        [InlineData("syscall", "task_match", typeof(TaskFilter.TaskMatch), null)]
        public void Csharp_mirror_matches_the_btf_of_the_object(string objectName, string structName, Type mirror, string? trailingData)
        {
            using var obj = BpfObject.Open(EmbeddedObjects.Read(objectName), objectName);
            var (size, members) = BtfStruct.Layout(obj.Btf, structName)
                ?? throw new Xunit.Sdk.XunitException($"{structName} is not in the BTF of {objectName}.bpf.o");
            if (trailingData is not null)
            {
                // The mirror is the header; the variable-length data member follows it.
                Assert.Equal(trailingData, members[^1].Name);
                size = members[^1].Offset;
                members.RemoveAt(members.Count - 1);
            }

            var fields = mirror.GetFields(BindingFlags.Public | BindingFlags.Instance);
            Assert.Equal(size, Marshal.SizeOf(mirror));
            Assert.Equal(members.Select(m => m.Name), fields.Select(f => SnakeCase(f.Name)));
            foreach (var (member, field) in members.Zip(fields))
            {
                Assert.True(member.Offset == (int)Marshal.OffsetOf(mirror, field.Name), $"{structName}.{member.Name} offset");
                Assert.True(member.Size == FieldSize(field), $"{structName}.{member.Name} size");
            }
        }

        private static int FieldSize(FieldInfo field)
        {
            var buffer = field.GetCustomAttribute<FixedBufferAttribute>();
            if (buffer is not null) return buffer.Length * Marshal.SizeOf(buffer.ElementType);
            var type = field.FieldType.IsEnum ? Enum.GetUnderlyingType(field.FieldType) : field.FieldType;
            return Marshal.SizeOf(type);
        }

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
