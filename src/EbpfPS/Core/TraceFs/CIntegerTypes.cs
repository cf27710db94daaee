using System;
using System.Collections.Generic;

namespace EbpfPS.Core.TraceFs
{
    /// <summary>Sizes and signedness of the C integer types tracepoint formats name (x86-64 and arm64:
    /// LP64). Syscall formats store every argument in an 8-byte word and mark it unsigned whatever its
    /// type, so `int dfd` is read from the word's low 4 bytes, signed, as the kernel itself reads it.</summary>
    internal static class CIntegerTypes
    {
        private static readonly Dictionary<string, (int Size, bool Signed)> Known = new(StringComparer.Ordinal)
        {
            ["char"] = (1, true), ["signed char"] = (1, true), ["unsigned char"] = (1, false), ["bool"] = (1, false),
            ["short"] = (2, true), ["unsigned short"] = (2, false),
            ["int"] = (4, true), ["signed int"] = (4, true), ["unsigned int"] = (4, false), ["unsigned"] = (4, false),
            ["long"] = (8, true), ["unsigned long"] = (8, false), ["long long"] = (8, true), ["unsigned long long"] = (8, false),
            ["s8"] = (1, true), ["u8"] = (1, false), ["__s8"] = (1, true), ["__u8"] = (1, false),
            ["s16"] = (2, true), ["u16"] = (2, false), ["__s16"] = (2, true), ["__u16"] = (2, false),
            ["s32"] = (4, true), ["u32"] = (4, false), ["__s32"] = (4, true), ["__u32"] = (4, false),
            ["s64"] = (8, true), ["u64"] = (8, false), ["__s64"] = (8, true), ["__u64"] = (8, false),
            ["int32_t"] = (4, true), ["uint32_t"] = (4, false), ["int64_t"] = (8, true), ["uint64_t"] = (8, false),
            ["size_t"] = (8, false), ["ssize_t"] = (8, true), ["off_t"] = (8, true), ["loff_t"] = (8, true),
            ["pid_t"] = (4, true), ["uid_t"] = (4, false), ["gid_t"] = (4, false), ["umode_t"] = (2, false),
            ["key_serial_t"] = (4, true), ["clockid_t"] = (4, true), ["timer_t"] = (4, true), ["mqd_t"] = (4, true),
            ["qid_t"] = (4, false), ["rwf_t"] = (4, true), ["key_t"] = (4, true),
        };

        /// <summary>The size and signedness of <paramref name="type"/> (const and volatile ignored), if known.</summary>
        internal static bool TryGet(string type, out int size, out bool signed)
        {
            string bare = type.Replace("const ", "", StringComparison.Ordinal).Replace("volatile ", "", StringComparison.Ordinal).Trim();
            bool known = Known.TryGetValue(bare, out var info);
            (size, signed) = info;
            return known;
        }
    }
}
