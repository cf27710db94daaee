using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Xdp;

namespace EbpfPS.Commands
{
    /// <summary>What the registration cmdlets share: the privilege check (loading programs, attaching them to cgroups
    /// and interfaces: CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN, or root), and which failures stop the command.</summary>
    public abstract class BpfRegistrationCommand : PSCmdlet
    {
        protected override void BeginProcessing()
        {
            try
            {
                KernelSupport.DemandTracing();
                XdpPrivileges.Demand();
            }
            catch (BpfException e) { ThrowTerminatingError(BpfErrors.From(e)); }
        }

        /// <summary>Setup failures stop the command; a failure about one registration is that item's error.</summary>
        private protected void Fail(BpfException e, object? target)
        {
            var record = BpfErrors.From(e, target);
            if (e.Kind is BpfErrorKind.PermissionDenied or BpfErrorKind.LibbpfNotFound or BpfErrorKind.LibbpfTooOld
                or BpfErrorKind.KernelBtfMissing or BpfErrorKind.BpfFsUnavailable)
                ThrowTerminatingError(record);
            WriteError(record);
        }
    }
}
