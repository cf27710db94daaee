using System;
using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>Get-Date: now or -Date, as a DateTime, or as text with -Format.</summary>
    [Cmdlet(VerbsCommon.Get, "Date")]
    [OutputType(typeof(DateTime), typeof(string))]
    public sealed class GetDateCommand : PSCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [Alias("LastWriteTime")]
        public DateTime? Date { get; set; }

        [Parameter]
        public string? Format { get; set; }

        [Parameter]
        public SwitchParameter AsUTC { get; set; }

        protected override void ProcessRecord()
        {
            DateTime date = Date ?? DateTime.Now;
            if (AsUTC) date = date.ToUniversalTime();
            WriteObject(Format is null ? date : date.ToString(Format, Host.CurrentCulture));
        }
    }
}
