using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace EbpfPS.Host.Compat
{
    /// <summary>CSV as pwsh 7 writes and reads it: a header from the first object, every field quoted.</summary>
    internal sealed class CsvWriter
    {
        private readonly char _delimiter;
        private string[]? _header;

        public CsvWriter(char delimiter) => _delimiter = delimiter;

        /// <summary>The lines for one object: the header line first if this is the first object.</summary>
        public IEnumerable<string> Lines(PSObject item, bool includeTypeInformation)
        {
            if (_header is null)
            {
                _header = item.Properties.Where(p => p.IsGettable).Select(p => p.Name).ToArray();
                if (includeTypeInformation) yield return "#TYPE " + item.TypeNames.FirstOrDefault();
                yield return string.Join(_delimiter, _header.Select(Quote));
            }
            yield return string.Join(_delimiter, _header.Select(name => item.Properties[name]?.Value is { } value ? Quote(value.ToString() ?? "") : ""));
        }

        /// <summary>Continue a file that already has its header.</summary>
        public void SkipHeader(string[] header) => _header = header;

        private static string Quote(string field) => "\"" + field.Replace("\"", "\"\"") + "\"";
    }

    internal static class CsvReader
    {
        /// <summary>Splits CSV text into records of fields: quotes, doubled quotes and line breaks inside quotes.</summary>
        public static IEnumerable<List<string>> Records(TextReader reader, char delimiter)
        {
            var fields = new List<string>();
            var field = new StringBuilder();
            bool quoted = false, any = false;
            int c;
            while ((c = reader.Read()) != -1)
            {
                any = true;
                if (quoted)
                {
                    if (c != '"') field.Append((char)c);
                    else if (reader.Peek() == '"') field.Append((char)reader.Read());
                    else quoted = false;
                }
                else if (c == '"') quoted = true;
                else if (c == delimiter) { fields.Add(field.ToString()); field.Clear(); }
                else if (c == '\r') { }
                else if (c == '\n')
                {
                    fields.Add(field.ToString());
                    yield return fields;
                    fields = new List<string>();
                    field.Clear();
                    any = false;
                }
                else field.Append((char)c);
            }
            if (any)
            {
                fields.Add(field.ToString());
                yield return fields;
            }
        }
    }
}
