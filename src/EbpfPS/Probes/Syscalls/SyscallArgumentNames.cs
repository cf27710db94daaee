using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EbpfPS.Core.TraceFs;
using EbpfPS.Probes.Signals;

namespace EbpfPS.Probes.Syscalls
{
    /// <summary>The names of well-known syscall argument numbers (openat's flags, mmap's prot, kill's sig...),
    /// x86-64 values, for the argument text only: the Arguments dictionary keeps the numbers, so that
    /// filters can compare and mask them. One table, keyed by syscall and argument name as tracefs names them.</summary>
    internal static class SyscallArgumentNames
    {
        private static readonly Func<long, string> OpenFlags = Parts(3, Enumeration((0, "O_RDONLY"), (1, "O_WRONLY"), (2, "O_RDWR")), Flags(
            (0x410000, "O_TMPFILE"), (0x101000, "O_SYNC"), (0x40, "O_CREAT"), (0x80, "O_EXCL"), (0x100, "O_NOCTTY"), (0x200, "O_TRUNC"),
            (0x400, "O_APPEND"), (0x800, "O_NONBLOCK"), (0x1000, "O_DSYNC"), (0x2000, "O_ASYNC"), (0x4000, "O_DIRECT"),
            (0x8000, "O_LARGEFILE"), (0x10000, "O_DIRECTORY"), (0x20000, "O_NOFOLLOW"), (0x40000, "O_NOATIME"),
            (0x80000, "O_CLOEXEC"), (0x200000, "O_PATH")));

        // File permission bits as chmod writes them: 0644.
        private static readonly Func<long, string> FileMode = v => v == 0 ? "0" : "0" + Convert.ToString(v, 8);

        private static readonly Func<long, string> ReadWriteExecute = Flags((4, "R_OK"), (2, "W_OK"), (1, "X_OK"));
        private static readonly Func<long, string> AccessMode = v => v == 0 ? "F_OK" : ReadWriteExecute(v);

        private static readonly Func<long, string> AtFlags = Flags(
            (0x100, "AT_SYMLINK_NOFOLLOW"), (0x200, "AT_EACCESS"), (0x400, "AT_SYMLINK_FOLLOW"), (0x800, "AT_NO_AUTOMOUNT"), (0x1000, "AT_EMPTY_PATH"));

        private static readonly Func<long, string> ProtectionFlags = Flags(
            (1, "PROT_READ"), (2, "PROT_WRITE"), (4, "PROT_EXEC"), (8, "PROT_SEM"), (0x01000000, "PROT_GROWSDOWN"), (0x02000000, "PROT_GROWSUP"));
        private static readonly Func<long, string> Protection = v => v == 0 ? "PROT_NONE" : ProtectionFlags(v);

        private static readonly Func<long, string> MapFlags = Parts(0xf, Enumeration((1, "MAP_SHARED"), (2, "MAP_PRIVATE"), (3, "MAP_SHARED_VALIDATE")), Flags(
            (0x10, "MAP_FIXED"), (0x20, "MAP_ANONYMOUS"), (0x40, "MAP_32BIT"), (0x100, "MAP_GROWSDOWN"), (0x800, "MAP_DENYWRITE"),
            (0x1000, "MAP_EXECUTABLE"), (0x2000, "MAP_LOCKED"), (0x4000, "MAP_NORESERVE"), (0x8000, "MAP_POPULATE"), (0x10000, "MAP_NONBLOCK"),
            (0x20000, "MAP_STACK"), (0x40000, "MAP_HUGETLB"), (0x80000, "MAP_SYNC"), (0x100000, "MAP_FIXED_NOREPLACE"), (0x4000000, "MAP_UNINITIALIZED")));

        // The low byte is the signal the parent gets when the child ends (SIGCHLD for fork()); strace writes it last.
        private static readonly Func<long, string> CloneFlags = Parts(0xff, v => v == 0 ? "" : SignalNames.Name((int)v), lowLast: true, high: Flags(
            (0x100, "CLONE_VM"), (0x200, "CLONE_FS"), (0x400, "CLONE_FILES"), (0x800, "CLONE_SIGHAND"), (0x1000, "CLONE_PIDFD"),
            (0x2000, "CLONE_PTRACE"), (0x4000, "CLONE_VFORK"), (0x8000, "CLONE_PARENT"), (0x10000, "CLONE_THREAD"), (0x20000, "CLONE_NEWNS"),
            (0x40000, "CLONE_SYSVSEM"), (0x80000, "CLONE_SETTLS"), (0x100000, "CLONE_PARENT_SETTID"), (0x200000, "CLONE_CHILD_CLEARTID"),
            (0x400000, "CLONE_DETACHED"), (0x800000, "CLONE_UNTRACED"), (0x1000000, "CLONE_CHILD_SETTID"), (0x2000000, "CLONE_NEWCGROUP"),
            (0x4000000, "CLONE_NEWUTS"), (0x8000000, "CLONE_NEWIPC"), (0x10000000, "CLONE_NEWUSER"), (0x20000000, "CLONE_NEWPID"),
            (0x40000000, "CLONE_NEWNET"), (0x80000000, "CLONE_IO")));

        private static readonly Func<long, string> AddressFamily = Enumeration(
            (0, "AF_UNSPEC"), (1, "AF_UNIX"), (2, "AF_INET"), (10, "AF_INET6"), (15, "AF_KEY"), (16, "AF_NETLINK"), (17, "AF_PACKET"),
            (31, "AF_BLUETOOTH"), (38, "AF_ALG"), (40, "AF_VSOCK"), (44, "AF_XDP"));

        private static readonly Func<long, string> SocketType = Parts(0xf, Enumeration(
            (1, "SOCK_STREAM"), (2, "SOCK_DGRAM"), (3, "SOCK_RAW"), (4, "SOCK_RDM"), (5, "SOCK_SEQPACKET"), (6, "SOCK_DCCP"), (10, "SOCK_PACKET")),
            Flags((0x800, "SOCK_NONBLOCK"), (0x80000, "SOCK_CLOEXEC")));

        // Signal 0 only checks that the target exists: no name.
        private static readonly Func<long, string> Signal = v => v == 0 ? "0" : SignalNames.Name((int)v);

        // AT_FDCWD: a path relative to the caller's working directory.
        private static readonly Func<long, string> DirectoryFd = v => v == -100 ? "AT_FDCWD" : v.ToString(CultureInfo.InvariantCulture);

        // mmap's fd is an unsigned long in its format; -1 for anonymous memory.
        private static readonly Func<long, string> SignedFd = v => ((int)v).ToString(CultureInfo.InvariantCulture);

        /// <summary>syscall name (or * for every syscall) -> argument name -> its namer.</summary>
        private static readonly Dictionary<string, Dictionary<string, Func<long, string>>> Table = new(StringComparer.Ordinal)
        {
            ["*"] = new(StringComparer.Ordinal) { ["dfd"] = DirectoryFd, ["olddfd"] = DirectoryFd, ["newdfd"] = DirectoryFd },
            ["open"] = new(StringComparer.Ordinal) { ["flags"] = OpenFlags, ["mode"] = FileMode },
            ["openat"] = new(StringComparer.Ordinal) { ["flags"] = OpenFlags, ["mode"] = FileMode },
            ["creat"] = new(StringComparer.Ordinal) { ["mode"] = FileMode },
            ["mkdir"] = new(StringComparer.Ordinal) { ["mode"] = FileMode },
            ["mkdirat"] = new(StringComparer.Ordinal) { ["mode"] = FileMode },
            ["chmod"] = new(StringComparer.Ordinal) { ["mode"] = FileMode },
            ["fchmod"] = new(StringComparer.Ordinal) { ["mode"] = FileMode },
            ["fchmodat"] = new(StringComparer.Ordinal) { ["mode"] = FileMode },
            ["access"] = new(StringComparer.Ordinal) { ["mode"] = AccessMode },
            ["faccessat"] = new(StringComparer.Ordinal) { ["mode"] = AccessMode },
            ["faccessat2"] = new(StringComparer.Ordinal) { ["mode"] = AccessMode, ["flags"] = AtFlags },
            ["newfstatat"] = new(StringComparer.Ordinal) { ["flag"] = AtFlags },
            ["statx"] = new(StringComparer.Ordinal) { ["flags"] = AtFlags },
            ["unlinkat"] = new(StringComparer.Ordinal) { ["flag"] = Flags((0x200, "AT_REMOVEDIR")) },
            ["mmap"] = new(StringComparer.Ordinal) { ["prot"] = Protection, ["flags"] = MapFlags, ["fd"] = SignedFd },
            ["mprotect"] = new(StringComparer.Ordinal) { ["prot"] = Protection },
            ["clone"] = new(StringComparer.Ordinal) { ["clone_flags"] = CloneFlags },
            ["socket"] = new(StringComparer.Ordinal) { ["family"] = AddressFamily, ["type"] = SocketType },
            ["socketpair"] = new(StringComparer.Ordinal) { ["family"] = AddressFamily, ["type"] = SocketType },
            ["kill"] = new(StringComparer.Ordinal) { ["sig"] = Signal },
            ["tkill"] = new(StringComparer.Ordinal) { ["sig"] = Signal },
            ["tgkill"] = new(StringComparer.Ordinal) { ["sig"] = Signal },
            ["rt_sigqueueinfo"] = new(StringComparer.Ordinal) { ["sig"] = Signal },
            ["rt_tgsigqueueinfo"] = new(StringComparer.Ordinal) { ["sig"] = Signal },
            ["pidfd_send_signal"] = new(StringComparer.Ordinal) { ["sig"] = Signal },
            ["rt_sigaction"] = new(StringComparer.Ordinal) { ["sig"] = Signal },
        };

        /// <summary>What names the numbers of <paramref name="argument"/> of <paramref name="syscall"/>, or null;
        /// each caller gets its own, which remembers its last name.</summary>
        internal static Func<long, string>? For(string syscall, string argument)
        {
            var namer = Table.TryGetValue(syscall, out var own) && own.TryGetValue(argument, out var found) ? found
                : Table["*"].GetValueOrDefault(argument);
            return namer is null ? null : Remembering(namer);
        }

        // A program passes the same flags again and again (O_RDONLY|O_CLOEXEC): the last name is reused
        // instead of being written anew for every event. The pair is replaced whole, so threads may share it.
        private sealed record Named(long Value, string Name);

        private static Func<long, string> Remembering(Func<long, string> namer)
        {
            Named? last = null;
            return v =>
            {
                var seen = last;
                if (seen is not null && seen.Value == v) return seen.Name;
                string name = namer(v);
                last = new Named(v, name);
                return name;
            };
        }

        /// <summary>Exactly one of the names (or the number when none fits).</summary>
        private static Func<long, string> Enumeration(params (long Value, string Name)[] names)
        {
            var byValue = names.ToDictionary(n => n.Value, n => n.Name);
            return v => byValue.TryGetValue(v, out var name) ? name : v.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>Each flag that is set, joined by |, and what is left over as hex ("" for none).</summary>
        private static Func<long, string> Flags(params (long Mask, string Name)[] masks)
        {
            var flags = new PrintFlags("|", masks.Select(m => ((ulong)m.Mask, m.Name)).ToList());
            return v => flags.Format(unchecked((ulong)v));
        }

        /// <summary>A value under <paramref name="mask"/> (O_ACCMODE, the socket type) and flags above it.</summary>
        private static Func<long, string> Parts(long mask, Func<long, string> low, Func<long, string> high, bool lowLast = false) => v =>
        {
            string under = low(v & mask), above = high(v & ~mask);
            if (under.Length == 0 || above.Length == 0) return under.Length + above.Length == 0 ? "0" : under + above;
            return lowLast ? above + "|" + under : under + "|" + above;
        };
    }
}
