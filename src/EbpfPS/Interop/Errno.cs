using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>errno of libbpf and libc: the last one, its name and its text (libbpf's own codes included).</summary>
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
        internal const int LibbpfErrorFirst = 4000, LibbpfErrorLast = 4013, LibbpfEndian = 4003, LibbpfVerify = 4007, LibbpfProgramType = 4010, ENOTSUPP = 524;
        private static readonly string[] LibbpfErrors =
        {
            "Something is wrong in libelf", "Not a valid BPF object (not ELF, or not a BPF ELF object)", "Incorrect or no 'version' section",
            "The object's endianness is not this machine's", "libbpf failed internally", "Relocation failed",
            "Loading the program failed for an unknown reason", "The kernel's verifier rejected the program", "The program is too big",
            "Incorrect kernel version", "The kernel does not support this program type", "Wrong pid in a netlink message",
            "Invalid netlink sequence", "Netlink message parsing failed",
        };
    }
}
