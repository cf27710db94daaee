using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Registrations;

namespace EbpfPS.Commands
{
    /// <summary>Detaches every program of a registration and deletes its pins; the kernel then frees its programs,
    /// maps and links once no process holds them. Takes names, or the programs, links and registrations piped in.</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "BpfProgram", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        DefaultParameterSetName = ByRegistration)]
    [OutputType(typeof(BpfRegistration))]
    public sealed class UnregisterBpfProgramCommand : BpfRegistrationCommand
    {
        private readonly HashSet<string> _done = new(System.StringComparer.Ordinal);

        private const string ByName = "Name", ByRegistration = "Registration";

        /// <summary>The registrations' names, wildcards allowed (Get-BpfRegistration's objects give them piped in).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegistrationCompleter))]
        public string[] Name { get; set; } = System.Array.Empty<string>();

        /// <summary>The Registration of the programs and links Get-BpfProgram and Get-BpfLink pipe in: null for one
        /// that belongs to none, which is that item's error.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByRegistration)]
        [AllowNull]
        [AllowEmptyString]
        public string? Registration { get; set; }

        /// <summary>Writes the registration as it was before it was removed.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByRegistration && string.IsNullOrEmpty(Registration))
            {
                WriteError(BpfErrors.From(new BpfException(BpfErrorKind.NotFound, "A program or link piped in belongs to no registration.",
                    "Pipe only the registered ones: Get-BpfProgram | Where-Object Registration -eq NAME.") { ErrorId = BpfErrorIds.BpfRegistrationNotFound }));
                return;
            }
            var names = ParameterSetName == ByRegistration ? new[] { Registration! } : Name;
            foreach (string name in names.SelectMany(RegistrationPins.Matching)) Unregister(name);
        }

        private void Unregister(string name)
        {
            // Several programs of one registration piped in unregister it once.
            if (!_done.Add(name)) return;
            try
            {
                RegistrationPins.DemandValidName(name);
                var last = Registrations.Registration.Describe(name);
                if (!ShouldProcess(name, $"Undo {last.Attachments.Count} attachments and delete the pins of {last.Programs.Count} programs and {last.Maps.Count} maps under {last.PinPath}"))
                    return;
                using (RegistrationPins.Lock())
                {
                    Registrations.Registration.Remove(name);
                    WriteVerbose($"Detached and unpinned '{name}' ({last.PinPath}).");
                    if (PassThru) WriteObject(last);
                }
            }
            catch (BpfException e) { Fail(e, name); }
        }
    }
}
