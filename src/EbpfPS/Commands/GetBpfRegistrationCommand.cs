using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Registrations;

namespace EbpfPS.Commands
{
    /// <summary>Lists the registrations that Register-BpfProgram pinned: programs, where each is attached, maps.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfRegistration")]
    [OutputType(typeof(BpfRegistration))]
    public sealed class GetBpfRegistrationCommand : BpfRegistrationCommand
    {
        /// <summary>Registration names; wildcards allowed. All by default.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegistrationCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string name in Name ?? new[] { "*" })
            {
                foreach (string each in RegistrationPins.Matching(name))
                {
                    try { WriteObject(Registration.Describe(each)); }
                    catch (BpfException e) { Fail(e, each); }
                }
            }
        }
    }
}
