using System.Collections.Generic;
using System.Linq;
using EbpfPS.Core.TraceFs;

namespace EbpfPS
{
    /// <summary>A tracepoint of this kernel: its id, the fields of its record and its print format.</summary>
    public sealed class BpfTracepointInfo
    {
        /// <summary>CATEGORY:NAME, as Start-BpfTrace -Tracepoint takes it.</summary>
        public string Name { get; set; } = "";
        public string Category { get; set; } = "";

        /// <summary>The event id (the record's common_type).</summary>
        public int Id { get; set; }

        /// <summary>The tracepoint's own fields, without the common header (common_type, common_flags,
        /// common_preempt_count, common_pid in the first 8 bytes); as text (Export-Csv) their declarations, joined by ", ".</summary>
        public BpfList<BpfTracepointField> Fields { get; set; } = System.Array.Empty<BpfTracepointField>();

        /// <summary>The print fmt of the format file: how the kernel prints the record in the trace log.</summary>
        public string PrintFormat { get; set; } = "";

        internal static BpfTracepointInfo From(TracepointFormat format) => new()
        {
            Name = format.FullName,
            Category = format.Category,
            Id = format.Id,
            Fields = format.OwnFields.Select(f => Field(f, format.Print)).ToArray(),
            PrintFormat = format.Print.Text,
        };

        private static BpfTracepointField Field(TracepointField field, Core.TraceFs.PrintFormat print) => new()
        {
            Name = field.Name,
            Type = field.Type,
            Offset = field.Offset,
            Size = field.Size,
            Signed = field.Signed,
            ArrayLength = field.ArrayLength,
            Symbols = print.Symbols.TryGetValue(field.Name, out var symbols) ? new SortedDictionary<long, string>(symbols) : null,
            FlagNames = print.FlagNames.TryGetValue(field.Name, out var flags)
                ? flags.Masks.Select(m => new KeyValuePair<ulong, string>(m.Mask, m.Name)).ToList() : null,
            Address = print.Addresses.TryGetValue(field.Name, out int version) ? $"IPv{version}" : "",
        };
    }
}
