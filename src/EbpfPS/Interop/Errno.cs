using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using EbpfPS.Core;

namespace EbpfPS.Interop
{
    /// <summary>The one place where errno from libbpf or libc becomes a BpfException.</summary>
    internal static class Errno
    {
        internal const int EPERM = 1, ENOENT = 2, ESRCH = 3, E2BIG = 7, EBADF = 9, EACCES = 13, EBUSY = 16,
            EEXIST = 17, ENODEV = 19, EINTR = 4, EINVAL = 22, ENOSPC = 28, ENOSYS = 38, ENOTSUP = 95, EOPNOTSUPP = 95;

        /// <summary>errno of the last LibraryImport(SetLastError = true) call on this thread.</summary>
        internal static int Last => Marshal.GetLastPInvokeError();

        /// <summary>Returns a negative return code as the positive errno (libbpf 1.x returns -errno).</summary>
        internal static int FromResult(int result) => result < 0 ? -result : Last;

        /// <summary>Linux errno names (asm-generic), with the kernel-internal ones a syscall exit can show.</summary>
        private static readonly Dictionary<int, string> Names = new()
        {
            [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO", [6] = "ENXIO", [7] = "E2BIG",
            [8] = "ENOEXEC", [9] = "EBADF", [10] = "ECHILD", [11] = "EAGAIN", [12] = "ENOMEM", [13] = "EACCES",
            [14] = "EFAULT", [15] = "ENOTBLK", [16] = "EBUSY", [17] = "EEXIST", [18] = "EXDEV", [19] = "ENODEV",
            [20] = "ENOTDIR", [21] = "EISDIR", [22] = "EINVAL", [23] = "ENFILE", [24] = "EMFILE", [25] = "ENOTTY",
            [26] = "ETXTBSY", [27] = "EFBIG", [28] = "ENOSPC", [29] = "ESPIPE", [30] = "EROFS", [31] = "EMLINK",
            [32] = "EPIPE", [33] = "EDOM", [34] = "ERANGE", [35] = "EDEADLK", [36] = "ENAMETOOLONG", [37] = "ENOLCK",
            [38] = "ENOSYS", [39] = "ENOTEMPTY", [40] = "ELOOP", [42] = "ENOMSG", [43] = "EIDRM", [44] = "ECHRNG",
            [45] = "EL2NSYNC", [46] = "EL3HLT", [47] = "EL3RST", [48] = "ELNRNG", [49] = "EUNATCH", [50] = "ENOCSI",
            [51] = "EL2HLT", [52] = "EBADE", [53] = "EBADR", [54] = "EXFULL", [55] = "ENOANO", [56] = "EBADRQC",
            [57] = "EBADSLT", [59] = "EBFONT", [60] = "ENOSTR", [61] = "ENODATA", [62] = "ETIME", [63] = "ENOSR",
            [64] = "ENONET", [65] = "ENOPKG", [66] = "EREMOTE", [67] = "ENOLINK", [68] = "EADV", [69] = "ESRMNT",
            [70] = "ECOMM", [71] = "EPROTO", [72] = "EMULTIHOP", [73] = "EDOTDOT", [74] = "EBADMSG", [75] = "EOVERFLOW",
            [76] = "ENOTUNIQ", [77] = "EBADFD", [78] = "EREMCHG", [79] = "ELIBACC", [80] = "ELIBBAD", [81] = "ELIBSCN",
            [82] = "ELIBMAX", [83] = "ELIBEXEC", [84] = "EILSEQ", [85] = "ERESTART", [86] = "ESTRPIPE", [87] = "EUSERS",
            [88] = "ENOTSOCK", [89] = "EDESTADDRREQ", [90] = "EMSGSIZE", [91] = "EPROTOTYPE", [92] = "ENOPROTOOPT",
            [93] = "EPROTONOSUPPORT", [94] = "ESOCKTNOSUPPORT", [95] = "EOPNOTSUPP", [96] = "EPFNOSUPPORT", [97] = "EAFNOSUPPORT",
            [98] = "EADDRINUSE", [99] = "EADDRNOTAVAIL", [100] = "ENETDOWN", [101] = "ENETUNREACH", [102] = "ENETRESET",
            [103] = "ECONNABORTED", [104] = "ECONNRESET", [105] = "ENOBUFS", [106] = "EISCONN", [107] = "ENOTCONN",
            [108] = "ESHUTDOWN", [109] = "ETOOMANYREFS", [110] = "ETIMEDOUT", [111] = "ECONNREFUSED", [112] = "EHOSTDOWN",
            [113] = "EHOSTUNREACH", [114] = "EALREADY", [115] = "EINPROGRESS", [116] = "ESTALE", [117] = "EUCLEAN",
            [118] = "ENOTNAM", [119] = "ENAVAIL", [120] = "EISNAM", [121] = "EREMOTEIO", [122] = "EDQUOT", [123] = "ENOMEDIUM",
            [124] = "EMEDIUMTYPE", [125] = "ECANCELED", [126] = "ENOKEY", [127] = "EKEYEXPIRED", [128] = "EKEYREVOKED",
            [129] = "EKEYREJECTED", [130] = "EOWNERDEAD", [131] = "ENOTRECOVERABLE", [132] = "ERFKILL", [133] = "EHWPOISON",
            [512] = "ERESTARTSYS", [513] = "ERESTARTNOINTR", [514] = "ERESTARTNOHAND", [515] = "ENOIOCTLCMD",
            [516] = "ERESTART_RESTARTBLOCK", [517] = "EPROBE_DEFER", [518] = "EOPENSTALE", [519] = "ENOPARAM",
            [521] = "EBADHANDLE", [522] = "ENOTSYNC", [523] = "EBADCOOKIE", [524] = "ENOTSUPP", [525] = "ETOOSMALL",
            [526] = "ESERVERFAULT", [527] = "EBADTYPE", [528] = "EJUKEBOX", [529] = "EIOCBQUEUED", [530] = "ERECALLCONFLICT",
        };

        internal static string Name(int errno) => Names.TryGetValue(errno, out var name) ? name : $"errno {errno}";

        internal static string Describe(int errno) => errno switch
        {
            >= LibbpfErrorFirst and <= LibbpfErrorLast => $"{LibbpfErrors[errno - LibbpfErrorFirst]} (libbpf error {errno})",
            // the kernel's own codes, which reach user space from bpf() though the C library has no text for them
            ENOTSUPP => "Operation not supported (ENOTSUPP)",
            >= 512 and <= 530 => $"Kernel-internal error ({Name(errno)})",
            _ => $"{Marshal.GetPInvokeErrorMessage(errno)} ({Name(errno)})",
        };

        // libbpf's own codes (enum libbpf_errno in libbpf.h), which the C library's strerror does not know.
        private const int LibbpfErrorFirst = 4000, LibbpfErrorLast = 4013;
        private static readonly string[] LibbpfErrors =
        {
            "Something is wrong in libelf", "Not a valid BPF object (not ELF, or not a BPF ELF object)", "Incorrect or no 'version' section",
            "The object's endianness is not this machine's", "libbpf failed internally", "Relocation failed",
            "Loading the program failed for an unknown reason", "The kernel's verifier rejected the program", "The program is too big",
            "Incorrect kernel version", "The kernel does not support this program type", "Wrong pid in a netlink message",
            "Invalid netlink sequence", "Netlink message parsing failed",
        };

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

        private const int LibbpfEndian = 4003, LibbpfVerify = 4007, LibbpfProgramType = 4010, ENOTSUPP = 524;
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
