using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>Write-Output: its arguments or pipeline input to the output, collections enumerated unless -NoEnumerate.</summary>
    [Cmdlet(VerbsCommunications.Write, "Output")]
    public sealed class WriteOutputCommand : PSCmdlet
    {
        [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ValueFromRemainingArguments = true)]
        [AllowNull]
        [AllowEmptyCollection]
        public PSObject[]? InputObject { get; set; }

        [Parameter]
        public SwitchParameter NoEnumerate { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject is null)
            {
                WriteObject(null);
                return;
            }
            foreach (PSObject item in InputObject) WriteObject(item, enumerateCollection: !NoEnumerate);
        }
    }
}
