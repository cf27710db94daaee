using System.Runtime.InteropServices;
using EbpfPS.Interop;

namespace EbpfPS.Core.Objects
{
    /// <summary>A program of a BpfObject (owned by it: valid while the object is).</summary>
    internal sealed class BpfProgram
    {
        private readonly BpfObject _owner;

        internal BpfProgram(BpfObject owner, nint pointer)
        {
            _owner = owner;
            Pointer = pointer;
        }

        internal nint Pointer { get; }
        internal string Name => Marshal.PtrToStringUTF8(Libbpf.bpf_program__name(Pointer)) ?? "";
        internal string SectionName => Marshal.PtrToStringUTF8(Libbpf.bpf_program__section_name(Pointer)) ?? "";
        internal int Fd => Libbpf.bpf_program__fd(Pointer);

        /// <summary>Leaves the program out of Load (e.g. the kprobe twin of an fentry program).</summary>
        internal void SetAutoload(bool autoload) => Libbpf.bpf_program__set_autoload(Pointer, autoload);

        internal BpfLink Attach() => _owner.Attach(this);

        /// <summary>The kernel function an fentry/fexit program is for; set before load.</summary>
        internal void SetAttachTarget(string function)
        {
            int rc = Libbpf.bpf_program__set_attach_target(Pointer, 0, function);
            if (rc != 0)
                throw Core.ErrnoFailures.Exception(Interop.Errno.FromResult(rc), BpfErrorKind.InvalidArgument, $"Targeting '{Name}' at {function} failed");
        }
    }
}
