using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>Write-Verbose: a message to the verbose stream, shown as $VerbosePreference says.</summary>
    [Cmdlet(VerbsCommunications.Write, "Verbose")]
    public sealed class WriteVerboseCommand : WriteMessageCommand
    {
        protected override void Write(string message) => WriteVerbose(message);
    }
}
