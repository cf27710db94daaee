using System;
using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;

namespace EbpfPS
{
    /// <summary>The arguments of a call by name, in order ($e.Arguments.fd, $e.Arguments['filename']), with the
    /// values as numbers and strings; as text (Export-Csv, "$($e.Arguments)") they read like the call:
    /// fd=1, buf=0x7ffd..., count=12, with well-known numbers by name (flags=O_RDONLY|O_CLOEXEC).</summary>
    public sealed class BpfArguments : OrderedDictionary
    {
        public BpfArguments() : this(0) { }

        public BpfArguments(int capacity) : base(capacity, StringComparer.OrdinalIgnoreCase) { }

        /// <summary>The decoder's text; null: made from the entries.</summary>
        internal string? Text { get; set; }

        public override string ToString() => Text ?? string.Join(", ",
            this.Cast<DictionaryEntry>().Select(e => $"{e.Key}={Convert.ToString(e.Value, CultureInfo.InvariantCulture)}"));
    }
}
