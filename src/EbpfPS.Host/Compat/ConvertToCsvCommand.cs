using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>ConvertTo-Csv: objects to CSV lines; like pwsh 7, no #TYPE line unless -IncludeTypeInformation.</summary>
    [Cmdlet(VerbsData.ConvertTo, "Csv")]
    [OutputType(typeof(string))]
    public sealed class ConvertToCsvCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        [Parameter] public char Delimiter { get; set; } = ',';
        [Parameter] public SwitchParameter IncludeTypeInformation { get; set; }

        [Parameter]
        [Alias("NTI")]
        public SwitchParameter NoTypeInformation { get; set; } // the pwsh 7 default; accepted for old scripts

        private CsvWriter? _csv;

        protected override void ProcessRecord()
        {
            if (InputObject is null) return;
            _csv ??= new CsvWriter(Delimiter);
            foreach (string line in _csv.Lines(InputObject, IncludeTypeInformation)) WriteObject(line);
        }
    }
}
