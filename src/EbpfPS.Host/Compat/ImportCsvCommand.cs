using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>Import-Csv: a CSV file back to objects with string properties; a #TYPE line is skipped.</summary>
    [Cmdlet(VerbsData.Import, "Csv")]
    public sealed class ImportCsvCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public string[] Path { get; set; } = System.Array.Empty<string>();

        [Parameter] public char Delimiter { get; set; } = ',';
        [Parameter] public string[]? Header { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string path in Path)
            {
                using var reader = new StreamReader(GetUnresolvedProviderPathFromPSPath(path));
                IEnumerable<List<string>> records = CsvReader.Records(reader, Delimiter).SkipWhile(r => r[0].StartsWith("#TYPE"));
                string[]? header = Header;
                foreach (List<string> record in records)
                {
                    if (header is null)
                    {
                        header = record.ToArray();
                        continue;
                    }
                    var item = new PSObject();
                    for (int i = 0; i < header.Length; i++)
                        item.Properties.Add(new PSNoteProperty(header[i], i < record.Count ? record[i] : null));
                    WriteObject(item);
                }
            }
        }
    }
}
