using System;
using System.Linq;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Probes.KernelFunctions;

namespace EbpfPS.Commands
{
    /// <summary>Can I hook it? Kernel functions with their presence, traceability, BTF prototype and the
    /// methods (kprobe, fentry) that work for them on this kernel.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfKernelFunction")]
    [OutputType(typeof(BpfKernelFunctionInfo))]
    public sealed class GetBpfKernelFunctionCommand : PSCmdlet
    {
        /// <summary>Function names; wildcards allowed (do_sys_*).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(KernelFunctionCompleter))]
        public string[] Name { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            var patterns = Name.Select(n => new WildcardPattern(n, WildcardOptions.None)).ToArray();
            var unmatched = Name.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).ToHashSet(StringComparer.Ordinal);
            try
            {
                foreach (var info in KernelFunctionCatalog.Find(name => patterns.Any(p => p.IsMatch(name))))
                {
                    unmatched.Remove(info.Name);
                    WriteObject(info);
                }
            }
            catch (BpfException e)
            {
                ThrowTerminatingError(BpfErrors.From(e));
            }
            foreach (var name in unmatched)
                WriteError(BpfErrors.From(new BpfException(BpfErrorKind.NotFound, $"The kernel has no function '{name}'.",
                    "Check the spelling; wildcards list candidates: Get-BpfKernelFunction 'do_unlink*'.") { ErrorId = BpfErrorIds.KernelFunctionNotFound }, name));
        }
    }
}
