using System.Linq;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Xdp;

namespace EbpfPS.Commands
{
    /// <summary>Lists the interfaces with an EbpfPS XDP filter: attachment, rules with counters, totals.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfXdpFilter")]
    [OutputType(typeof(BpfXdpFilter))]
    public sealed class GetBpfXdpFilterCommand : XdpFilterCommand
    {
        /// <summary>Interface names; wildcards match the filtered interfaces. All of them by default.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(InterfaceCompleter))]
        public string[]? Interface { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string name in Interface ?? new[] { "*" })
            {
                if (WildcardPattern.ContainsWildcardCharacters(name))
                {
                    var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                    foreach (string filtered in XdpPins.Filtered().Where(pattern.IsMatch)) Write(filtered);
                }
                else Write(name);
            }
        }

        private void Write(string interfaceName)
        {
            try
            {
                if (!XdpPins.Exists(interfaceName)) Interfaces.DemandIndex(interfaceName);
                using var filter = XdpFilter.Open(interfaceName);
                WriteObject(filter.Describe());
            }
            catch (BpfException e) { Fail(e, interfaceName); }
        }
    }
}
