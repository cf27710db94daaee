using System;
using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>Write-Error: a non-terminating error from a message, an exception or a whole ErrorRecord.</summary>
    [Cmdlet(VerbsCommunications.Write, "Error", DefaultParameterSetName = "Message")]
    public sealed class WriteErrorCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Message")]
        [AllowEmptyString]
        [Alias("Msg")]
        public string Message { get; set; } = "";

        [Parameter(Mandatory = true, ParameterSetName = "Exception")]
        public Exception? Exception { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = "ErrorRecord")]
        public ErrorRecord? ErrorRecord { get; set; }

        [Parameter(ParameterSetName = "Message")]
        [Parameter(ParameterSetName = "Exception")]
        public string ErrorId { get; set; } = "Microsoft.PowerShell.Commands.WriteErrorException";

        [Parameter(ParameterSetName = "Message")]
        [Parameter(ParameterSetName = "Exception")]
        public ErrorCategory Category { get; set; } = ErrorCategory.NotSpecified;

        [Parameter(ParameterSetName = "Message")]
        [Parameter(ParameterSetName = "Exception")]
        public object? TargetObject { get; set; }

        protected override void ProcessRecord() =>
            WriteError(ErrorRecord ?? new ErrorRecord(Exception ?? new Exception(Message), ErrorId, Category, TargetObject));
    }
}
