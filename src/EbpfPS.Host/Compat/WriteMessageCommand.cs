using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>What Write-Warning, Write-Verbose and Write-Debug share: a message to one stream.</summary>
    public abstract class WriteMessageCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowEmptyString]
        [Alias("Msg")]
        public string Message { get; set; } = "";

        protected override void ProcessRecord() => Write(Message);

        protected abstract void Write(string message);
    }
}
