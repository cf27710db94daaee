using System;
using System.Management.Automation;
using System.Management.Automation.Host;
using EbpfPS.Core;
using EbpfPS.Xdp;

namespace EbpfPS.Commands
{
    /// <summary>What the XDP filter cmdlets share: the privilege check, which failures stop the command,
    /// and confirmation whose impact depends on the change (attaching, or cutting the session off, is High).</summary>
    public abstract class XdpFilterCommand : PSCmdlet
    {
        protected override void BeginProcessing()
        {
            try { XdpPrivileges.Demand(); }
            catch (BpfException e) { ThrowTerminatingError(BpfErrors.From(e)); }
        }

        /// <summary>Setup failures stop the command; a failure about one interface or rule is that item's error.</summary>
        private protected void Fail(BpfException e, object? target)
        {
            var record = BpfErrors.From(e, target);
            if (e.Kind is BpfErrorKind.PermissionDenied or BpfErrorKind.LibbpfNotFound or BpfErrorKind.LibbpfTooOld
                or BpfErrorKind.KernelBtfMissing or BpfErrorKind.BpfFsUnavailable or BpfErrorKind.VerifierRejected or BpfErrorKind.LoadFailed)
                ThrowTerminatingError(record);
            WriteError(record);
        }

        /// <summary>ShouldProcess at the cmdlet's Medium impact; then, for a change of High impact (a reason is
        /// given: the rule would cut off the SSH session this runs in), asks again as a ConfirmImpact High cmdlet
        /// would: unless -Confirm was given (it already asked, or -Confirm:$false), $ConfirmPreference is None,
        /// or <paramref name="force"/>. A host that cannot ask (pwsh -NonInteractive, no console) gets an error
        /// and nothing changes.</summary>
        private protected bool ShouldChange(string target, string action, string? highImpactReason, bool force = false)
        {
            string description = highImpactReason is null ? action : $"{action} ({highImpactReason})";
            if (!ShouldProcess(target, description)) return false;
            if (highImpactReason is null || force || MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
            if (GetVariableValue("ConfirmPreference") is ConfirmImpact preference && preference == ConfirmImpact.None) return true;
            try { return ShouldContinue($"{action} on {target}: {highImpactReason} Continue?", "Confirm a change of high impact"); }
            catch (Exception e) when (e is PSInvalidOperationException or HostException or NullReferenceException)
            {
                ThrowTerminatingError(BpfErrors.From(new BpfException(BpfErrorKind.InvalidArgument,
                    $"{action} on {target} needs confirmation: {highImpactReason} This PowerShell cannot ask ({e.Message}), so nothing was changed.",
                    "Add -Force to make the change anyway, or run the command where PowerShell can ask.")
                { ErrorId = BpfErrorIds.XdpConfirmationRequired }, target));
                return false;
            }
        }
    }
}
