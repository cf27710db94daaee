using System;
using System.Runtime.InteropServices;
using EbpfPS.Interop;

namespace EbpfPS.Core.Objects
{
    /// <summary>An attached program; disposing it detaches the program from its hook, unless the link was pinned
    /// and <see cref="Disconnect"/>ed. Either libbpf's bpf_link, for the attachments libbpf 1.1 has no API for
    /// (tcx) the link's own file descriptor, or for an attachment that is no link (a socket map's program, a tc
    /// filter) a <see cref="NonLinkHandle"/>, whose <see cref="Attachment"/> says how to undo it.</summary>
    internal sealed class BpfLink : IDisposable
    {
        private readonly SafeHandle _handle;

        internal BpfLink(SafeHandle handle, string programName, string target)
        {
            _handle = handle;
            ProgramName = programName;
            Target = target;
        }

        internal string ProgramName { get; }

        /// <summary>Where it attaches the program, in words: "the cgroup /sys/fs/cgroup/app", "tcx egress of veth0".</summary>
        internal string Target { get; }

        internal bool IsAttached => !_handle.IsClosed;

        /// <summary>The record of an attachment that is no link (it has no <see cref="Fd"/> to pin), or null.</summary>
        internal NonLinkAttachment? Attachment => (_handle as NonLinkHandle)?.Attachment;

        internal int Fd => _handle switch
        {
            BpfLinkHandle link => Libbpf.bpf_link__fd(link.DangerousGetHandle()),
            FileDescriptorHandle fd => fd.Fd,
            _ => -1,
        };

        private bool _disconnected;

        /// <summary>The perf event a perf event link attaches its program to (a perf_event program's CPU clock), which
        /// libbpf closes with the link; -1 for other links.</summary>
        internal int EventFd { get; init; } = -1;

        /// <summary>Lets Dispose close the link without detaching it, for a link whose pin keeps it attached: libbpf
        /// would disable a perf event link's event as it destroyed it. A disconnected link's fd, and its perf event's,
        /// are closed here, since libbpf then closes nothing (the pinned link holds the event on its own). An attachment
        /// that is no link stays as it is, left to whoever recorded it.</summary>
        internal void Disconnect()
        {
            if (_handle is NonLinkHandle) _handle.SetHandleAsInvalid();
            if (_handle is not BpfLinkHandle link || _disconnected) return;
            Libbpf.bpf_link__disconnect(link.DangerousGetHandle());
            _disconnected = true;
        }

        public void Dispose()
        {
            if (_disconnected && !_handle.IsClosed)
            {
                Libc.close(Fd);
                if (EventFd >= 0) Libc.close(EventFd);
            }
            _handle.Dispose();
        }
    }
}
