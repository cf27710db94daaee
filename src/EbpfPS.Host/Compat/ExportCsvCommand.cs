using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace EbpfPS.Host.Compat
{
    /// <summary>Export-Csv: objects to a UTF-8 CSV file; -Append continues a file under its existing header.</summary>
    [Cmdlet(VerbsData.Export, "Csv")]
    public sealed class ExportCsvCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        [Parameter(Mandatory = true, Position = 0)]
        public string Path { get; set; } = "";

        [Parameter] public char Delimiter { get; set; } = ',';
        [Parameter] public SwitchParameter Append { get; set; }
        [Parameter] public SwitchParameter IncludeTypeInformation { get; set; }

        [Parameter]
        [Alias("NTI")]
        public SwitchParameter NoTypeInformation { get; set; } // the pwsh 7 default; accepted for old scripts

        private CsvWriter? _csv;
        private StreamWriter? _file;

        protected override void BeginProcessing()
        {
            string path = GetUnresolvedProviderPathFromPSPath(Path);
            _csv = new CsvWriter(Delimiter);
            bool continuing = Append && File.Exists(path) && new FileInfo(path).Length > 0;
            if (continuing)
            {
                using var existing = new StreamReader(path);
                _csv.SkipHeader(CsvReader.Records(existing, Delimiter).SkipWhile(r => r[0].StartsWith("#TYPE")).First().ToArray());
            }
            _file = new StreamWriter(path, continuing, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }

        protected override void ProcessRecord()
        {
            if (InputObject is null) return;
            foreach (string line in _csv!.Lines(InputObject, IncludeTypeInformation)) _file!.WriteLine(line);
        }

        protected override void EndProcessing() => _file?.Dispose();
    }
}
