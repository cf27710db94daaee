using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Xdp;

namespace EbpfPS.Commands
{
    /// <summary>Adds a rule to an interface's XDP filter; the first rule loads and attaches the filter.</summary>
    [Cmdlet(VerbsCommon.Add, "BpfXdpFilter", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(BpfXdpRule))]
    public sealed class AddBpfXdpFilterCommand : XdpFilterCommand
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(InterfaceCompleter))]
        public string Interface { get; set; } = "";

        /// <summary>Icmp, IcmpV6, Tcp, Udp or a protocol number.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProtocolCompleter))]
        public string? Protocol { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? SourceAddress { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? DestinationAddress { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? SourcePort { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? DestinationPort { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public XdpAction Action { get; set; }

        /// <summary>Only used when the first rule attaches the filter; by default native, else generic.</summary>
        [Parameter]
        public XdpMode Mode { get; set; }

        /// <summary>Replaces an XDP program that EbpfPS did not attach, and does not ask again for High-impact changes.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            try
            {
                KernelSupport.DemandLibbpf();
                KernelSupport.DemandKernelBtf();
            }
            catch (BpfException e) { ThrowTerminatingError(BpfErrors.From(e)); }
        }

        protected override void ProcessRecord()
        {
            try { Add(); }
            catch (BpfException e) { Fail(e, Interface); }
        }

        private void Add()
        {
            var spec = XdpRuleParser.Parse(Action, Protocol, SourceAddress, DestinationAddress, SourcePort, DestinationPort);
            bool attaching = !XdpPins.Exists(Interface);
            if (attaching) Interfaces.DemandIndex(Interface);
            var current = attaching ? new List<XdpRule>() : XdpFilter.RulesOf(Interface);
            string? reason = SessionTraffic.CutBy(current, current.Append(spec), SessionTraffic.Current());
            string action = attaching ? $"Attach an XDP filter with the rule {spec}" : $"Add the rule {spec}";
            if (!ShouldChange(Interface, action, reason, Force)) return;
            if (spec.Action == XdpAction.Drop && spec.Protocol == IpProtocols.IcmpV6 && spec.Source is null)
                WriteWarning("Dropping ICMPv6 also drops IPv6 neighbour discovery (types 133-137): IPv6 on this interface stops working once its neighbour entries expire. Narrow the rule with -SourceAddress, or add Pass rules for the neighbours.");

            using (XdpPins.Lock())
            {
                bool exists = XdpPins.Exists(Interface);
                using var filter = exists ? XdpFilter.Open(Interface) : XdpFilter.Create(Interface, ModeOrNull, Force, WriteWarning);
                filter.DemandAttachedHere();
                if (exists && ModeOrNull is XdpMode asked && filter.Mode != asked)
                    WriteWarning($"The filter on {Interface} is attached in {filter.Mode} mode; -Mode only applies when the first rule attaches it.");
                var rule = filter.Maps.Add(spec);
                WriteVerbose($"Rule {rule.Id} on {Interface}: {rule}.");
                if (PassThru) WriteObject(filter.Describe(rule));
            }
        }

        private XdpMode? ModeOrNull => MyInvocation.BoundParameters.ContainsKey(nameof(Mode)) ? Mode : null;

        /// <summary>Tab completion of -Protocol.</summary>
        public sealed class ProtocolCompleter : IArgumentCompleter
        {
            public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
                string wordToComplete, System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
                IpProtocols.Names.Where(n => n.StartsWith(wordToComplete, StringComparison.OrdinalIgnoreCase)).Select(n => new CompletionResult(n));
        }
    }
}
