using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using EbpfPS.Interop;

namespace EbpfPS.Core.Objects
{
    /// <summary>An attachment that is no bpf link on the kernels EbpfPS runs on: a program attached to a sockmap or
    /// sockhash (bpf_prog_attach; links for those came in 6.10), or a tc filter on an interface's clsact qdisc (made
    /// over netlink, where there is no tcx). Everything that undoes it is in this record, so that a trace's
    /// <see cref="BpfLink"/> undoes it when disposed, and a registration writes it down (<see cref="Text"/>) for
    /// Unregister-BpfProgram, in another process, to read back (<see cref="Parse"/>) and undo.</summary>
    internal abstract record NonLinkAttachment(string Program)
    {
        /// <summary>Where it attaches the program, in words (what Get-BpfRegistration shows after "PROGRAM -> ").</summary>
        internal abstract string Target { get; }

        /// <summary>The record as one line: its kind, then key=value words.</summary>
        internal abstract string Text { get; }

        /// <summary>The socket map whose fd <see cref="Detach"/> needs, or null.</summary>
        internal virtual string? MapName => null;

        /// <summary>Undoes the attachment: 0, or the errno. One that is gone already (its interface or its map gone)
        /// counts as undone.</summary>
        /// <param name="programFd">The attached program.</param>
        /// <param name="mapFd">The map of <see cref="MapName"/>, or -1.</param>
        internal abstract int Detach(int programFd, int mapFd);

        /// <summary>The record <see cref="Text"/> wrote; one that is not (another version's, or changed by hand) is
        /// BpfRegistrationRecordInvalid, naming <paramref name="recordPath"/>.</summary>
        internal static NonLinkAttachment Parse(string program, string text, string recordPath)
        {
            var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var values = words.Skip(1).Select(w => w.Split('=', 2)).Where(p => p.Length == 2).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);
            string Value(string key) => values.TryGetValue(key, out var value) ? value : throw Invalid($"it has no {key}");
            uint Number(string key) => uint.TryParse(Value(key), out uint number) ? number : throw Invalid($"its {key} is no number");
            ulong Inode(string key) => ulong.TryParse(Value(key), out ulong number) ? number : throw Invalid($"its {key} is no number");
            return words.FirstOrDefault() switch
            {
                SocketMapAttachment.Kind => new SocketMapAttachment(program, Value("map"), Number("attach_type")),
                TcFilterAttachment.Kind => new TcFilterAttachment(program, Value("dev"), (int)Number("ifindex"),
                    Value("direction") == "egress", Number("handle"), Number("priority"),
                    // (records of EbpfPS before 2026-12-07 have neither)
                    values.ContainsKey("prog_id") ? Number("prog_id") : 0, values.ContainsKey("netns") ? Inode("netns") : 0),
                _ => throw Invalid("it is of no kind this version of EbpfPS knows"),
            };

            BpfException Invalid(string why) => new(BpfErrorKind.InvalidArgument,
                $"The record of how '{program}' is attached, {recordPath} -> '{text}', cannot be read: {why}.",
                $"It was written by another version of EbpfPS, or changed. Undo that attachment by hand (tc filter del, or bpftool for a socket map), " +
                $"then delete the record (Remove-Item {recordPath}) and run Unregister-BpfProgram again for the rest.")
            { ErrorId = BpfErrorIds.BpfRegistrationRecordInvalid };
        }

        /// <summary>0 for a call that succeeded or whose target is gone already, else the errno.</summary>
        private protected static int Undone(int rc, params int[] gone)
        {
            int errno = rc == 0 ? 0 : Errno.FromResult(rc);
            return gone.Contains(errno) ? 0 : errno;
        }
    }

    /// <summary>A sk_msg or sk_skb program attached to a sockmap or sockhash, at <paramref name="AttachType"/>
    /// (BPF_SK_MSG_VERDICT...). The map holds the program; bpf_prog_detach2 takes it back.</summary>
    internal sealed record SocketMapAttachment(string Program, string Map, uint AttachType) : NonLinkAttachment(Program)
    {
        internal const string Kind = "sockmap";

        internal override string Target => $"{Marshal.PtrToStringUTF8(Libbpf.libbpf_bpf_attach_type_str(AttachType))} map {Map}";
        internal override string Text => $"{Kind} map={Map} attach_type={AttachType}";
        internal override string? MapName => Map;

        internal override int Detach(int programFd, int mapFd)
        {
            int errno = Undone(Libbpf.bpf_prog_detach2(programFd, mapFd, AttachType), Errno.ENOENT);
            if (errno == 0) Empty(mapFd);
            return errno;
        }

        /// <summary>Takes every socket out of the map. A socket keeps the programs it found on the map when it went in,
        /// detached or not, until it leaves the map: else they would go on acting on it until the kernel frees the map,
        /// some time after its last fd closes (or never, while another process holds it).</summary>
        private static unsafe void Empty(int mapFd)
        {
            var info = new NativeMapInfo();
            uint length = (uint)sizeof(NativeMapInfo);
            if (Libbpf.bpf_obj_get_info_by_fd(mapFd, &info, &length) != 0) return;
            byte* key = stackalloc byte[(int)info.KeySize], previous = stackalloc byte[(int)info.KeySize];
            // A sockmap lists every index, full or not; a sockhash its keys, from its first again after a deleted one.
            for (byte* after = null; Libbpf.bpf_map_get_next_key(mapFd, after, key) == 0; after = previous)
            {
                Libbpf.bpf_map_delete_elem(mapFd, key);
                new Span<byte>(key, (int)info.KeySize).CopyTo(new Span<byte>(previous, (int)info.KeySize));
            }
        }
    }

    /// <summary>A tc program as a direct-action filter on the clsact qdisc of an interface, found again by its
    /// handle and priority (which the kernel chose), and known by its program's id: a filter deleted with its interface
    /// leaves the handle and priority to whatever filter another tool adds there later. The qdisc stays when the filter
    /// goes: deleting it would take every other filter on it along. <paramref name="NetworkNamespace"/> is the inode of
    /// the namespace whose interface it is, where a registration's filter must be undone (0: not known).</summary>
    internal sealed record TcFilterAttachment(string Program, string Interface, int Ifindex, bool Egress, uint Handle, uint Priority,
        uint ProgramId = 0, ulong NetworkNamespace = 0) : NonLinkAttachment(Program)
    {
        internal const string Kind = "tc";

        internal string Direction => Egress ? "egress" : "ingress";
        internal override string Target => $"tc_{Direction} {Interface} (clsact filter handle {Handle} priority {Priority})";
        internal override string Text =>
            $"{Kind} dev={Interface} ifindex={Ifindex} direction={Direction} handle={Handle} priority={Priority} prog_id={ProgramId} netns={NetworkNamespace}";

        internal override unsafe int Detach(int programFd, int mapFd)
        {
            // An interface deleted since has taken its filters along; its index may name another one now.
            if (Libc.if_nametoindex(Interface) != (uint)Ifindex) return 0;
            var hook = Hook(Ifindex, Egress);
            if (ProgramId != 0)
            {
                var found = new BpfTcOptions { Size = (nuint)sizeof(BpfTcOptions), Handle = Handle, Priority = Priority };
                int rc = Libbpf.bpf_tc_query(&hook, &found);
                if (rc != 0) return Undone(rc, Errno.ENOENT, Errno.ENODEV, Errno.EINVAL);
                if (found.ProgramId != ProgramId) return 0; // another program's filter now: ours went with its interface
            }
            var options = new BpfTcOptions { Size = (nuint)sizeof(BpfTcOptions), Handle = Handle, Priority = Priority };
            return Undone(Libbpf.bpf_tc_detach(&hook, &options), Errno.ENOENT, Errno.ENODEV);
        }

        internal static unsafe BpfTcHook Hook(int ifindex, bool egress) => new()
        {
            Size = (nuint)sizeof(BpfTcHook), Ifindex = ifindex, AttachPoint = egress ? Libbpf.BPF_TC_EGRESS : Libbpf.BPF_TC_INGRESS,
        };
    }

    /// <summary>Owns a <see cref="NonLinkAttachment"/> the way a link handle owns a link: releasing it detaches. The
    /// fds are borrowed from the loaded object, which disposes its links before it closes them.</summary>
    internal sealed class NonLinkHandle : SafeHandle
    {
        private readonly int _programFd, _mapFd;

        internal NonLinkHandle(NonLinkAttachment attachment, int programFd, int mapFd = -1) : base(IntPtr.Zero, ownsHandle: true)
        {
            Attachment = attachment;
            (_programFd, _mapFd) = (programFd, mapFd);
            SetHandle(1); // nothing to hold but the record: valid until released
        }

        internal NonLinkAttachment Attachment { get; }

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle() => Attachment.Detach(_programFd, _mapFd) == 0;
    }
}
