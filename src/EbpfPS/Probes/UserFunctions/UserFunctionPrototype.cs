using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using EbpfPS.Bpf;
using EbpfPS.Core;
using EbpfPS.Core.Btf;

namespace EbpfPS.Probes.UserFunctions
{
    /// <summary>What -ArgumentType tells of a user function, which no BTF describes: its parameters' C types (and names),
    /// and with a whole prototype its return type. Written as C declares them, one per argument ('const char *prompt',
    /// 'int', 'size_t n') or as one prototype ('char *readline(const char *prompt)'); 'string' and 'pointer' are short
    /// for 'const char *' and 'void *'. A `char *` is read as the text it points to.</summary>
    internal static class UserFunctionPrototype
    {
        /// <summary>Integer types by name: size in bytes and signedness (x86-64, LP64).</summary>
        private static readonly Dictionary<string, (int Size, bool Signed)> Integers = new(StringComparer.Ordinal)
        {
            ["char"] = (1, true), ["signed char"] = (1, true), ["unsigned char"] = (1, false),
            ["short"] = (2, true), ["unsigned short"] = (2, false),
            ["int"] = (4, true), ["signed"] = (4, true), ["unsigned"] = (4, false),
            ["long"] = (8, true), ["unsigned long"] = (8, false), ["long long"] = (8, true), ["unsigned long long"] = (8, false),
            ["int8_t"] = (1, true), ["int16_t"] = (2, true), ["int32_t"] = (4, true), ["int64_t"] = (8, true),
            ["uint8_t"] = (1, false), ["uint16_t"] = (2, false), ["uint32_t"] = (4, false), ["uint64_t"] = (8, false),
            ["s8"] = (1, true), ["s16"] = (2, true), ["s32"] = (4, true), ["s64"] = (8, true),
            ["u8"] = (1, false), ["u16"] = (2, false), ["u32"] = (4, false), ["u64"] = (8, false),
            ["size_t"] = (8, false), ["ssize_t"] = (8, true), ["off_t"] = (8, true), ["ptrdiff_t"] = (8, true),
            ["intptr_t"] = (8, true), ["uintptr_t"] = (8, false),
            ["pid_t"] = (4, true), ["uid_t"] = (4, false), ["gid_t"] = (4, false), ["mode_t"] = (4, false),
        };

        private static readonly Regex Identifier = new(@"^[A-Za-z_]\w*$", RegexOptions.CultureInvariant);

        /// <summary>The prototype the declarations make for the function FILE:FUNCTION names, or null without them; throws
        /// with what is wrong.</summary>
        internal static BtfFunction? Parse(IReadOnlyList<string>? declarations, string spec)
        {
            if (declarations is null || declarations.Count == 0) return null;
            string function = spec[(spec.LastIndexOf(':') + 1)..];
            var returnType = new BtfValueType("long", ValueShape.Signed, 8);
            IEnumerable<string> parameters = declarations;
            if (declarations.Count == 1 && declarations[0].Contains('('))
            {
                var match = Regex.Match(declarations[0], @"^\s*(?<return>.*?)\s*\b[A-Za-z_]\w*\s*\((?<parameters>.*)\)\s*;?\s*$", RegexOptions.Singleline);
                if (!match.Success)
                    throw Invalid(declarations[0], "is not a prototype such as 'char *readline(const char *prompt)'");
                returnType = Type(match.Groups["return"].Value.Trim(), declarations[0], allowVoid: true).Type;
                string list = match.Groups["parameters"].Value.Trim();
                parameters = list is "" or "void" ? Array.Empty<string>() : list.Split(',');
            }
            var declared = new List<BtfParameter>();
            foreach (string declaration in parameters.Select(d => d.Trim()))
            {
                if (declaration == "...") break; // what follows is not declared
                var (type, name) = Type(declaration, declaration, allowVoid: false);
                declared.Add(new BtfParameter(name ?? $"arg{declared.Count}", type));
            }
            if (declared.Count > KfuncRecord.ArgsLength)
                throw Invalid(string.Join(", ", declarations), $"declares {declared.Count} arguments; the first {KfuncRecord.ArgsLength} are in registers, which a uprobe reads");
            int strings = declared.Count(p => p.Type.IsString) + (returnType.IsString ? 1 : 0);
            if (strings > (int)KfuncStringLayout.Strings)
                throw Invalid(string.Join(", ", declarations), $"has {strings} strings to read; a call carries at most {(int)KfuncStringLayout.Strings}");
            return new BtfFunction(function, declared, returnType);
        }

        /// <summary>One declaration's type and, when it has one, its name.</summary>
        private static (BtfValueType Type, string? Name) Type(string declaration, string whole, bool allowVoid)
        {
            string text = declaration switch { "string" => "const char *", "pointer" => "void *", _ => declaration };
            int stars = text.Count(c => c == '*');
            var words = text.Replace("*", " ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Where(w => w is not ("const" or "volatile" or "restrict")).ToList();
            // the last word names the parameter when it is not part of the type: 'int n', 'const char *s', 'struct sock *sk'
            bool tagged = words.Count > 0 && words[0] is "struct" or "union" or "enum";
            string? name = null;
            if (tagged ? words.Count > 2 : words.Count > 1 && !IsTypeWord(words[^1]))
            {
                name = words[^1];
                words.RemoveAt(words.Count - 1);
            }
            if (name is not null && !Identifier.IsMatch(name)) throw Invalid(whole, $"names an argument '{name}', which is no C identifier");
            string baseType = Canonical(words);
            string spelled = (declaration.TrimStart().StartsWith("const", StringComparison.Ordinal) || declaration == "string" ? "const " : "") + baseType;
            if (stars > 0)
                return (new BtfValueType(spelled + " " + new string('*', stars), ValueShape.Pointer, 8), name);
            if (baseType == "void" && allowVoid) return (new BtfValueType("void", ValueShape.Void, 0), name);
            if (words.Count > 0 && words[0] == "enum") return (new BtfValueType(baseType, ValueShape.Signed, 4), name);
            if (baseType is "bool" or "_Bool") return (new BtfValueType(baseType, ValueShape.Bool, 1), name);
            if (Integers.TryGetValue(baseType, out var integer))
                return (new BtfValueType(baseType, integer.Signed ? ValueShape.Signed : ValueShape.Unsigned, integer.Size), name);
            if (baseType is "float" or "double" or "long double")
                throw Invalid(whole, $"has a {baseType}, which is passed in a floating-point register that uprobes do not see");
            if (words.Count > 0 && words[0] is "struct" or "union")
                throw Invalid(whole, $"passes a {baseType} by value, which is not in one register; declare a pointer to it");
            throw Invalid(whole, $"has the type '{baseType}', which is not known here");
        }

        /// <summary>The words of an integer type in one spelling: 'unsigned int' is 'unsigned', 'long int' 'long'.</summary>
        private static string Canonical(List<string> words)
        {
            var w = words.Where(x => x != "int" || words.Count == 1).ToList();
            if (w.Count > 1 && w[0] == "signed" && w[1] != "char") w.RemoveAt(0);
            return w.Count == 0 ? "int" : string.Join(' ', w);
        }

        private static bool IsTypeWord(string word) =>
            Integers.ContainsKey(word) || word is "int" or "void" or "bool" or "_Bool" or "float" or "double" or "signed" or "unsigned" or "long" or "short" or "char";

        private static BpfException Invalid(string declaration, string problem) =>
            new(BpfErrorKind.InvalidArgument, $"-ArgumentType '{declaration}' {problem}.",
                "Declare the arguments as C does, in order: -ArgumentType 'const char *path', 'int flags' (or string, pointer, int, long, size_t...), " +
                "or the whole prototype: -ArgumentType 'char *readline(const char *prompt)'.")
            { ErrorId = BpfErrorIds.UserFunctionArgumentTypeInvalid };
    }
}
