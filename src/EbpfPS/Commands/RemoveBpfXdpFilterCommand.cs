using System.Linq;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Xdp;

namespace EbpfPS.Commands
{
    /// <summary>Removes rules from an interface's XDP filter, or, without -RuleId, detaches the filter and
    /// deletes its pins.</summary>
    [Cmdlet(VerbsCommon.Remove, "BpfXdpFilter", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(BpfXdpRule), typeof(BpfXdpFilter))]
    public sealed class RemoveBpfXdpFilterCommand : XdpFilterCommand
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(InterfaceCompleter))]
        public string Interface { get; set; } = "";

        /// <summary>The rules to remove; without it the whole filter goes.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ValidateRange(1, int.MaxValue)]
        public int[]? RuleId { get; set; }

        /// <summary>Writes what was removed: the rules, or the filter, with their last counters.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                if (!XdpPins.Exists(Interface)) Interfaces.DemandIndex(Interface);
                if (RuleId is null) RemoveFilter();
                else foreach (int id in RuleId) RemoveRule((uint)id);
            }
            catch (BpfException e) { Fail(e, Interface); }
        }

        private void RemoveFilter()
        {
            var rules = XdpFilter.RulesOf(Interface);
            if (!ShouldChange(Interface, $"Detach the XDP filter and delete its {rules.Count} rules and pins", null)) return;
            using (XdpPins.Lock())
            {
                using var filter = XdpFilter.Open(Interface);
                var last = filter.Describe();
                filter.Remove();
                WriteVerbose($"Detached the XDP filter from {Interface} and deleted {last.PinPath}.");
                if (PassThru) WriteObject(last);
            }
        }

        private void RemoveRule(uint id)
        {
            try
            {
                var rules = XdpFilter.RulesOf(Interface);
                var rule = rules.FirstOrDefault(r => r.Id == id);
                string? cut = SessionTraffic.CutBy(rules, rules.Where(r => r.Id != id), SessionTraffic.Current());
                if (!ShouldChange(Interface, $"Remove rule {id}{(rule is null ? "" : $" ({rule})")}", cut)) return;
                using (XdpPins.Lock())
                {
                    using var filter = XdpFilter.Open(Interface);
                    var removed = filter.Maps.ReadRules().FirstOrDefault(r => r.Id == id);
                    var last = removed is null ? null : filter.Describe(removed);
                    filter.Maps.Remove(id);
                    if (PassThru && last is not null) WriteObject(last);
                }
            }
            catch (BpfException e) { Fail(e, id); }
        }
    }
}
