using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace EbpfPS.Core.TraceFs
{
    /// <summary>The names of a __print_flags() field, written out the way the kernel's trace_print_flags_seq
    /// writes them: each mask that is wholly set, in the format's order, then what is left as hex.</summary>
    internal sealed record PrintFlags(string Separator, IReadOnlyList<(ulong Mask, string Name)> Masks)
    {
        internal string Format(ulong flags)
        {
            var text = new StringBuilder();
            foreach (var (mask, name) in Masks)
            {
                if (flags == 0) break;
                if ((flags & mask) != mask) continue;
                flags &= ~mask;
                Append(text, name);
            }
            if (flags != 0) Append(text, "0x" + flags.ToString("x", CultureInfo.InvariantCulture));
            return text.ToString();
        }

        private void Append(StringBuilder text, string name)
        {
            if (text.Length > 0) text.Append(Separator);
            text.Append(name);
        }
    }
}
