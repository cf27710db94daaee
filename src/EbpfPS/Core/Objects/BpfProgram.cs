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

        /// <summary>enum bpf_prog_type, as libbpf took it from the section name (0 where it knew none).</summary>
        internal uint Type => Libbpf.bpf_program__type(Pointer);

        /// <summary>Whether Load loads it (libbpf's autoload).</summary>
        internal bool LoadsWithObject => Libbpf.bpf_program__autoload(Pointer);

        /// <summary>Before load: the program type, where libbpf could not take it from the section name.</summary>
        internal void SetType(uint type)
        {
            if (Libbpf.bpf_program__set_type(Pointer, type) != 0)
                throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.LoadFailed, $"Setting the type of '{Name}' failed");
        }

        internal BpfLink Attach() => _owner.Attach(this);
    }
}
