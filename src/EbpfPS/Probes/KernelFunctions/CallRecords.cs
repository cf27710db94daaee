using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using EbpfPS.Bpf;
using EbpfPS.Core;
using EbpfPS.Core.Btf;

namespace EbpfPS.Probes.KernelFunctions
{
    /// <summary>bpf/kfunc.h's records of calls, kernel or user functions alike: the arguments and the return value as
    /// a prototype types them (all six registers in hex without one), with the strings read along for its `char *`s.</summary>
    internal static unsafe class CallRecords
    {
        /// <summary>The record; one without strings ends before them.</summary>
        internal static KfuncRecord Read(ReadOnlySpan<byte> record)
        {
            if (record.Length >= sizeof(KfuncRecord)) return MemoryMarshal.Read<KfuncRecord>(record);
            KfuncRecord r = default;
            record.CopyTo(new Span<byte>(&r, sizeof(KfuncRecord)));
            return r;
        }

        /// <summary>The string_args of bpf/kfunc.bpf.c for a prototype: a bit per `char *` argument (with
        /// <paramref name="constOnly"/> per `const char *`), one for a `char *` return; as many as a record holds.</summary>
        internal static byte StringArguments(BtfFunction? prototype, bool constOnly = false)
        {
            if (prototype is null) return 0;
            int bits = 0;
            int strings = 0;
            for (int i = 0; i < Math.Min(prototype.Parameters.Count, KfuncRecord.ArgsLength); i++)
                if (IsRead(prototype.Parameters[i].Type) && strings++ < (int)KfuncStringLayout.Strings) bits |= 1 << i;
            if (IsRead(prototype.ReturnType) && strings < (int)KfuncStringLayout.Strings) bits |= 1 << KfuncRecord.ArgsLength;
            return (byte)bits;

            bool IsRead(BtfValueType type) => type.IsString && (!constOnly || type.Name.StartsWith("const ", StringComparison.Ordinal));
        }

        internal static BpfArguments Arguments(in KfuncRecord r, BtfFunction? prototype, byte stringArguments)
        {
            var arguments = new BpfArguments();
            var text = new List<string>();
            int count = Math.Min(prototype?.Parameters.Count ?? KfuncRecord.ArgsLength, KfuncRecord.ArgsLength);
            int slot = 0;
            for (int i = 0; i < count; i++)
            {
                var parameter = prototype?.Parameters[i];
                string name = string.IsNullOrEmpty(parameter?.Name) ? $"arg{i}" : parameter.Name;
                if ((stringArguments & (1 << i)) != 0)
                {
                    var bytes = String(r, slot++);
                    arguments.Add(name, CStrings.Read(bytes));
                    text.Add($"{name}={CStrings.Quote(bytes, truncated: bytes.Length == (int)KfuncStringLayout.StringLen - 1)}");
                    continue;
                }
                object value = parameter?.Type.Decode(r.Args[i]) ?? r.Args[i];
                arguments.Add(name, value);
                text.Add(parameter?.Type.Text(name, value) ?? $"{name}=0x{r.Args[i]:x}");
            }
            arguments.Text = string.Join(", ", text);
            return arguments;
        }

        /// <summary>The return value as the prototype types it (its string when it points to one); a signed number without one.</summary>
        internal static object? ReturnValue(in KfuncRecord r, BtfFunction? prototype, byte stringArguments)
        {
            if ((stringArguments & (1 << KfuncRecord.ArgsLength)) == 0) return prototype?.ReturnType.Decode((ulong)r.Ret) ?? r.Ret;
            if (r.Ret == 0) return null; // NULL: no string
            int slot = System.Numerics.BitOperations.PopCount((uint)stringArguments & ((1u << KfuncRecord.ArgsLength) - 1));
            return CStrings.Read(String(r, slot));
        }

        /// <summary>The bytes of a slot's string, up to its NUL.</summary>
        private static ReadOnlySpan<byte> String(in KfuncRecord r, int slot)
        {
            fixed (byte* strings = r.Strings)
            {
                var bytes = new ReadOnlySpan<byte>(strings + slot * (int)KfuncStringLayout.StringLen, (int)KfuncStringLayout.StringLen);
                int end = bytes.IndexOf((byte)0);
                return (end < 0 ? bytes : bytes[..end]).ToArray();
            }
        }
    }
}
