using System;
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

        internal static string Name(int errno) => errno switch
        {
            EPERM => "EPERM", ENOENT => "ENOENT", ESRCH => "ESRCH", E2BIG => "E2BIG", EBADF => "EBADF",
            EACCES => "EACCES", EBUSY => "EBUSY", EEXIST => "EEXIST", ENODEV => "ENODEV", EINVAL => "EINVAL",
            ENOSPC => "ENOSPC", ENOSYS => "ENOSYS", EOPNOTSUPP => "EOPNOTSUPP", _ => $"errno {errno}",
        };

        internal static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} ({Name(errno)})";

        /// <summary>Throws for what failed: permission errors as PermissionDenied, the rest as <paramref name="kind"/>.</summary>
        internal static BpfException Exception(int errno, BpfErrorKind kind, string what, string? hint = null)
        {
            if (errno == EPERM || errno == EACCES)
            {
                kind = BpfErrorKind.PermissionDenied;
                hint ??= Privileges.Hint;
            }
            return new BpfException(kind, $"{what}: {Describe(errno)}.", hint) { Errno = errno };
        }
    }
}
