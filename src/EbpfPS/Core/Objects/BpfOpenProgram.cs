using EbpfPS.Interop;

namespace EbpfPS.Core.Objects
{
    /// <summary>A program of an object that is open and not loaded yet: whether load takes it, and where it is to be
    /// attached when the kernel must know at load (fentry). Once loaded, the program is used as a <see cref="BpfProgram"/>.</summary>
    internal sealed class BpfOpenProgram(BpfProgram program)
    {
        internal string Name => program.Name;

        /// <summary>Leaves the program out of Load (e.g. the kprobe twin of an fentry program).</summary>
        internal void SetAutoload(bool autoload) => Libbpf.bpf_program__set_autoload(program.Pointer, autoload);

        /// <summary>The kernel function an fentry/fexit program is for.</summary>
        internal void SetAttachTarget(string function)
        {
            int rc = Libbpf.bpf_program__set_attach_target(program.Pointer, 0, function);
            if (rc != 0)
                throw ErrnoFailures.Exception(Errno.FromResult(rc), BpfErrorKind.InvalidArgument, $"Targeting '{Name}' at {function} failed");
        }
    }
}
