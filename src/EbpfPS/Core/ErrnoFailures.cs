using EbpfPS.Interop;
using static EbpfPS.Interop.Errno;

namespace EbpfPS.Core
{
    /// <summary>The one place where errno from libbpf or libc becomes a BpfException, with what to do about it.</summary>
    internal static class ErrnoFailures
    {
        /// <summary>Throws for what failed: permission errors as PermissionDenied, a bad object file as InvalidArgument
        /// (BpfObjectInvalid), what the kernel lacks as NotSupported, the rest as <paramref name="kind"/>; with
        /// <paramref name="hint"/>, or else what <see cref="Hint"/> says about the errno.</summary>
        internal static BpfException Exception(int errno, BpfErrorKind kind, string what, string? hint = null, string? errorId = null)
        {
            switch (errno)
            {
                case EPERM or EACCES:
                    kind = BpfErrorKind.PermissionDenied;
                    hint ??= Privileges.Hint;
                    break;
                case >= LibbpfErrorFirst and <= LibbpfEndian:
                    kind = BpfErrorKind.InvalidArgument;
                    errorId ??= BpfErrorIds.BpfObjectInvalid;
                    break;
                case LibbpfVerify:
                    kind = BpfErrorKind.VerifierRejected;
                    break;
                case LibbpfProgramType or ENOSYS or EOPNOTSUPP or ENOTSUPP:
                    kind = BpfErrorKind.NotSupported;
                    break;
            }
            return new BpfException(kind, $"{what}: {Describe(errno)}.", hint ?? Hint(errno)) { Errno = errno, ErrorId = errorId };
        }

        private const string LogHint = " Run the command again with -Verbose to see libbpf's log.";

        /// <summary>What to do about an errno, when the caller knows nothing more specific: never empty.</summary>
        internal static string Hint(int errno) => errno switch
        {
            EPERM or EACCES => Privileges.Hint,
            4000 or 4001 => "Give the .o that clang writes: clang -g -O2 -target bpf -c x.bpf.c -o x.bpf.o (an ELF file of machine BPF).",
            4002 or 4009 => "Rebuild the object with a current clang and libbpf headers; old objects needed a 'version' section, this kernel does not.",
            4003 => "Compile the object for this machine's byte order: clang -target bpf picks it (bpfel or bpfeb are the explicit targets).",
            4004 or 4006 => "libbpf failed without saying why." + LogHint,
            4005 => "A CO-RE relocation failed: the object was compiled against types this kernel does not have (rebuild it against this kernel's vmlinux.h)." + LogHint,
            LibbpfVerify => "Read the last lines of the verifier log (-Verbose): they name the instruction and the reason.",
            4008 => "Split the program or loop less: it has more instructions than the kernel allows.",
            LibbpfProgramType => "This kernel does not support the program type; Get-BpfFeature shows what it supports.",
            >= 4011 and <= 4013 => "The kernel's netlink answer was not understood; try again, and report it if it persists.",
            ENOENT => "Something the object needs does not exist in this kernel (a function, tracepoint, map or BTF type)." + LogHint,
            ESRCH => "The process or object is gone; check that it still exists.",
            EINTR or 11 /* EAGAIN */ => "The call was interrupted or the kernel was busy; try again.",
            12 /* ENOMEM */ => "The kernel could not allocate memory for BPF: use smaller maps or buffers, or raise the cgroup's memory limit (ulimit -l on kernels before 5.11).",
            E2BIG => "Too large for this kernel (a map, a program or a value); make it smaller." + LogHint,
            EBADF => "A file descriptor was closed under the call; try again, and report it if it persists.",
            EBUSY => "Something else holds it (another program attached at the same place); detach that one first.",
            EEXIST => "It exists already; remove the old one first.",
            ENODEV => "The device or interface does not exist (any more); check its name (ip link).",
            EINVAL => "The kernel refused an argument: often a program type this kernel cannot attach there." + LogHint,
            ENOSPC => "A fixed capacity is full (the map's max_entries, or the kernel's limit of attachments); make room or use a bigger map.",
            ENOSYS => "This kernel has no bpf() system call: it needs CONFIG_BPF_SYSCALL=y.",
            EOPNOTSUPP or ENOTSUPP => "This kernel does not support it; Get-BpfFeature shows what it supports.",
            _ => "The kernel refused it." + LogHint,
        };
    }
}
