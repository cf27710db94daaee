using System.Management.Automation;
using EbpfPS.Core;

namespace EbpfPS.Commands
{
    /// <summary>The one mapping from engine failures to PowerShell errors: a stable error id per kind,
    /// its category, the hint as recommended action, and long details (the verifier log) in ErrorDetails.</summary>
    internal static class BpfErrors
    {
        internal static string ErrorId(BpfErrorKind kind) => kind switch
        {
            BpfErrorKind.PermissionDenied => BpfErrorIds.BpfPermissionDenied,
            BpfErrorKind.LibbpfNotFound => BpfErrorIds.LibbpfNotFound,
            BpfErrorKind.LibbpfTooOld => BpfErrorIds.LibbpfTooOld,
            BpfErrorKind.KernelBtfMissing => BpfErrorIds.KernelBtfMissing,
            BpfErrorKind.TraceFsUnavailable => BpfErrorIds.TraceFsUnavailable,
            BpfErrorKind.BpfFsUnavailable => BpfErrorIds.BpfFsUnavailable,
            BpfErrorKind.VerifierRejected => BpfErrorIds.BpfVerifierRejected,
            BpfErrorKind.LoadFailed => BpfErrorIds.BpfLoadFailed,
            BpfErrorKind.AttachFailed => BpfErrorIds.BpfAttachFailed,
            BpfErrorKind.NotSupported => BpfErrorIds.BpfFeatureNotSupported,
            BpfErrorKind.InvalidArgument => BpfErrorIds.BpfInvalidArgument,
            BpfErrorKind.NotFound => BpfErrorIds.BpfObjectNotFound,
            BpfErrorKind.MapReadOnly => BpfErrorIds.BpfMapReadOnly,
            BpfErrorKind.MapIsStream => BpfErrorIds.BpfMapIsStream,
            BpfErrorKind.MapNotIterable => BpfErrorIds.BpfMapNotIterable,
            BpfErrorKind.WriteFailed => BpfErrorIds.BpfWriteFailed,
            BpfErrorKind.AlreadyExists => BpfErrorIds.BpfObjectExists,
            BpfErrorKind.LimitExceeded => BpfErrorIds.BpfLimitExceeded,
            _ => BpfErrorIds.BpfReadFailed,
        };

        private static ErrorCategory Category(BpfErrorKind kind) => kind switch
        {
            BpfErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
            BpfErrorKind.LibbpfNotFound or BpfErrorKind.LibbpfTooOld => ErrorCategory.NotInstalled,
            BpfErrorKind.KernelBtfMissing or BpfErrorKind.NotSupported => ErrorCategory.NotImplemented,
            BpfErrorKind.TraceFsUnavailable or BpfErrorKind.BpfFsUnavailable => ErrorCategory.ResourceUnavailable,
            BpfErrorKind.VerifierRejected => ErrorCategory.InvalidData,
            BpfErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
            BpfErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            BpfErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
            BpfErrorKind.LimitExceeded => ErrorCategory.LimitsExceeded,
            BpfErrorKind.ReadFailed => ErrorCategory.ReadError,
            BpfErrorKind.MapReadOnly => ErrorCategory.PermissionDenied,
            BpfErrorKind.WriteFailed => ErrorCategory.WriteError,
            _ => ErrorCategory.InvalidOperation,
        };

        internal static ErrorRecord From(BpfException e, object? target = null)
        {
            var record = new ErrorRecord(e, e.ErrorId ?? ErrorId(e.Kind), Category(e.Kind), target);
            string message = e.Detail is null ? e.Message : $"{e.Message}{System.Environment.NewLine}{e.Detail}";
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = string.IsNullOrEmpty(e.Hint) ? DefaultHint(e.Kind) : e.Hint };
            return record;
        }

        /// <summary>What to do when the engine said nothing more specific: no error leaves the user without a next step.</summary>
        private static string DefaultHint(BpfErrorKind kind) => kind switch
        {
            BpfErrorKind.PermissionDenied => Privileges.Hint,
            BpfErrorKind.InvalidArgument => "Check the value against the command's help (Get-Help <command> -Parameter *).",
            BpfErrorKind.NotFound => "Check the name: Get-BpfTracepoint, Get-BpfKernelFunction, Get-BpfMap and Get-BpfProgram list what exists.",
            BpfErrorKind.NotSupported => "Get-BpfFeature shows what this kernel supports.",
            BpfErrorKind.AlreadyExists => "Remove the existing one first, or change it instead.",
            BpfErrorKind.LimitExceeded => "Remove what is no longer needed, then try again.",
            BpfErrorKind.MapReadOnly => "The map cannot be changed from user space; change it from the program that owns it.",
            _ => "Run the command again with -Verbose to see libbpf's log, and Get-BpfFeature for what this kernel supports.",
        };

        /// <summary>A bad parameter value, found by our own parsing rather than by parameter binding.</summary>
        internal static ErrorRecord InvalidParameter(string errorId, string message, string hint, object? target)
        {
            var record = new ErrorRecord(new PSArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = hint };
            return record;
        }
    }
}
