using System;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Probes.UserFunctions;

namespace EbpfPS.Commands
{
    /// <summary>The functions of a program or library that Start-BpfTrace -UserFunction can trace, from its ELF
    /// symbol tables: is it there, is the file stripped, what does a pattern match.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfUserFunction")]
    [OutputType(typeof(BpfUserFunctionInfo))]
    public sealed class GetBpfUserFunctionCommand : PSCmdlet
    {
        /// <summary>The program or library: a path, or a library's name (libc, libssl.so.3).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Function names; wildcards allowed (ngx_http_*). All of them by default.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Name { get; set; } = { "*" };

        /// <summary>Finds a library among the files this process has mapped, as -UserFunction does with -ProcessId.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int ProcessId { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                int? processId = MyInvocation.BoundParameters.ContainsKey(nameof(ProcessId)) ? ProcessId : null;
                string path = UserFunctions.Binary(Path.Contains('/') ? GetUnresolvedProviderPathFromPSPath(Path) : Path, processId);
                foreach (var pattern in Name)
                {
                    try
                    {
                        foreach (var function in UserFunctions.Functions(path, pattern))
                            WriteObject(new BpfUserFunctionInfo { Name = function.Name, Path = function.Path, Offset = function.Offset });
                    }
                    catch (BpfException e) when (e.ErrorId == BpfErrorIds.UserFunctionNotFound)
                    {
                        // a wildcard that matches nothing is an empty answer, as elsewhere in PowerShell
                        if (!WildcardPattern.ContainsWildcardCharacters(pattern)) WriteError(BpfErrors.From(e, pattern));
                    }
                }
            }
            catch (BpfException e)
            {
                ThrowTerminatingError(BpfErrors.From(e, Path));
            }
        }
    }
}
