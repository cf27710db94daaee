using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>Write-Debug: a message to the debug stream, shown as $DebugPreference says.</summary>
    [Cmdlet(VerbsCommunications.Write, "Debug")]
    public sealed class WriteDebugCommand : WriteMessageCommand
    {
        protected override void Write(string message) => WriteDebug(message);
    }
}
