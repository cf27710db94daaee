using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace EbpfPS.Core.TraceFs
{
    /// <summary>A tracepoint's format file (events/CATEGORY/NAME/format): its id, the layout of its
    /// record and what its print format says about the fields.</summary>
    internal sealed partial class TracepointFormat
    {
        [GeneratedRegex(@"^\s*field:(?<decl>[^;]*);\s*offset:(?<offset>\d+);\s*size:(?<size>\d+);\s*signed:(?<signed>\d+);")]
        private static partial Regex FieldLine();

        private TracepointFormat(string category, string name, int id, List<TracepointField> fields, PrintFormat print)
        {
            Category = category;
            Name = name;
            Id = id;
            Fields = fields;
            Print = print;
        }

        internal string Category { get; }
        internal string Name { get; }
        internal string FullName => $"{Category}:{Name}";

        /// <summary>The event id, which is also the record's common_type.</summary>
        internal int Id { get; }

        internal IReadOnlyList<TracepointField> Fields { get; }
        internal PrintFormat Print { get; }

        /// <summary>Fields of the event itself, without the common_* header.</summary>
        internal IEnumerable<TracepointField> OwnFields => Fields.Where(f => !f.IsCommon);

        /// <summary>Bytes of the fixed part of a record; __data_loc data follows it.</summary>
        internal int FixedSize => Fields.Count == 0 ? 0 : Fields.Max(f => f.Offset + f.Size);

        internal static TracepointFormat Parse(string category, string text)
        {
            string name = "";
            int id = -1;
            var fields = new List<TracepointField>();
            // The print fmt is last and runs to the end: its format string may hold raw newlines (ext4_fc_stats).
            int printAt = text.IndexOf("\nprint fmt:", StringComparison.Ordinal);
            string printFmt = printAt < 0 ? "" : text[(printAt + "\nprint fmt:".Length)..].Trim();
            foreach (var line in (printAt < 0 ? text : text[..printAt]).Split('\n'))
            {
                if (line.StartsWith("name:", StringComparison.Ordinal)) name = line[5..].Trim();
                else if (line.StartsWith("ID:", StringComparison.Ordinal)) id = int.Parse(line[3..].Trim(), CultureInfo.InvariantCulture);
                else if (FieldLine().Match(line) is { Success: true } m)
                {
                    var field = TracepointField.Parse(m.Groups["decl"].Value,
                        int.Parse(m.Groups["offset"].Value, CultureInfo.InvariantCulture),
                        int.Parse(m.Groups["size"].Value, CultureInfo.InvariantCulture),
                        m.Groups["signed"].Value != "0");
                    if (field is not null) fields.Add(field);
                }
            }
            if (name.Length == 0 || id < 0)
                throw new InvalidDataException($"The format of tracepoint {category}:{name} has no name or ID line.");
            return new TracepointFormat(category, name, id, fields, PrintFormat.Parse(printFmt));
        }

        /// <summary>Reads events/CATEGORY/NAME/format under the tracefs mount <paramref name="traceFs"/>.</summary>
        internal static TracepointFormat Read(string traceFs, string category, string name) =>
            Parse(category, File.ReadAllText(Path.Combine(traceFs, "events", category, name, "format")));
    }
}
