using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using EbpfPS.Commands;

namespace EbpfPS.Tests.Support
{
    /// <summary>The module's cmdlets in a hosted PowerShell engine, run the way users write pipelines.
    /// The module is imported from the assembly this test process already loaded.</summary>
    internal static class HostedModule
    {
        /// <summary>Runs <paramref name="script"/>; its error records are in <paramref name="errors"/>.</summary>
        internal static Collection<PSObject> Run(string script, out Collection<ErrorRecord> errors)
        {
            using var powerShell = PowerShell.Create(InitialSessionState.CreateDefault2());
            powerShell.AddCommand("Import-Module").AddParameter("Assembly", typeof(GetBpfTraceLogCommand).Assembly).Invoke();
            powerShell.Commands.Clear();
            powerShell.AddScript(script);
            var output = powerShell.Invoke();
            errors = powerShell.Streams.Error.ReadAll();
            return output;
        }
    }
}
