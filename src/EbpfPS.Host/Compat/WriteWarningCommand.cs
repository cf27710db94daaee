using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>Write-Warning: a message to the warning stream, shown as $WarningPreference says.</summary>
    [Cmdlet(VerbsCommunications.Write, "Warning")]
    public sealed class WriteWarningCommand : WriteMessageCommand
    {
        protected override void Write(string message) => WriteWarning(message);
    }
}
