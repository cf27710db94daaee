using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Introspection.Features;

namespace EbpfPS.Commands
{
    /// <summary>Probes what this kernel supports for eBPF and writes one BpfFeature per capability,
    /// program type and map type.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfFeature")]
    [OutputType(typeof(BpfFeature))]
    public sealed class GetBpfFeatureCommand : PSCmdlet
    {
        /// <summary>Only features with these names (wildcards allowed), e.g. Kprobes, Fentry, ringbuf.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FeatureNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Only these categories: Kernel, ProgramType, MapType.</summary>
        [Parameter]
        [ValidateSet(KernelFeatures.Kernel, KernelFeatures.ProgramType, KernelFeatures.MapType)]
        public string[]? Category { get; set; }

        protected override void EndProcessing()
        {
            var names = new NameFilter(Name);
            var categories = new NameFilter(Category);
            foreach (var feature in KernelFeatures.All())
                if (categories.Matches(feature.Category) && names.Matches(feature.Name)) WriteObject(feature);
            foreach (var name in names.Unmatched())
                WriteError(BpfErrors.InvalidParameter(BpfErrorIds.BpfFeatureNotFound, $"There is no feature named '{name}'.",
                    "Get-BpfFeature without -Name lists every feature it probes.", name));
        }
    }
}
