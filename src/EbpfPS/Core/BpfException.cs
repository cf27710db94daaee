using System;

namespace EbpfPS.Core
{
    /// <summary>What went wrong, in terms a cmdlet maps to one stable error id and category.</summary>
    public enum BpfErrorKind
    {
        PermissionDenied,
        LibbpfNotFound,
        LibbpfTooOld,
        KernelBtfMissing,
        TraceFsUnavailable,
        BpfFsUnavailable,
        VerifierRejected,
        LoadFailed,
        AttachFailed,
        /// <summary>The kernel lacks the feature; tests skip on this kind, users read which one.</summary>
        NotSupported,
        InvalidArgument,
        /// <summary>What the user named does not exist (a tracepoint, syscall, function, map).</summary>
        NotFound,
        ReadFailed,
        /// <summary>Frozen, or created read-only for user space: entries cannot be written or removed.</summary>
        MapReadOnly,
        /// <summary>A ring buffer or perf event array: records to consume, not entries to read.</summary>
        MapIsStream,
        /// <summary>A map whose entries cannot be listed from user space (bloom filter, local storage...).</summary>
        MapNotIterable,
        WriteFailed,
        /// <summary>Something is already there: a rule matching the same packets, another XDP program.</summary>
        AlreadyExists,
        /// <summary>A fixed capacity is used up (rules per XDP filter).</summary>
        LimitExceeded,
    }

    /// <summary>A failure of the engine, with what to do about it.</summary>
    public class BpfException : Exception
    {
        public BpfException(BpfErrorKind kind, string message, string? hint = null, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
            Hint = hint;
        }

        public BpfErrorKind Kind { get; }

        /// <summary>What the user can do about it (shown as the error's recommended action).</summary>
        public string? Hint { get; }

        /// <summary>Long diagnostic text, e.g. the verifier log.</summary>
        public string? Detail { get; init; }

        /// <summary>A more specific error id than the kind's, from <see cref="BpfErrorIds"/> (e.g. TracepointNotFound), or null.</summary>
        public string? ErrorId { get; init; }

        /// <summary>The errno behind the failure, 0 when none.</summary>
        public int Errno { get; init; }
    }
}
