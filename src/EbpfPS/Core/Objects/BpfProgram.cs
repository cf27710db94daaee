using System.Runtime.InteropServices;
using EbpfPS.Interop;

namespace EbpfPS.Core.Objects
{
    /// <summary>A program of a BpfObject (owned by it: valid while the object is), to use once it is loaded; what
    /// is set before load is on its <see cref="BpfOpenProgram"/>.</summary>
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

        internal BpfLink Attach() => _owner.Attach(this);
    }
}
