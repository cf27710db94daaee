using System;
using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>Owns a struct bpf_object*: closing it unloads its programs and maps.</summary>
    internal sealed class BpfObjectHandle : SafeHandle
    {
        public BpfObjectHandle() : base(IntPtr.Zero, ownsHandle: true) { }
        internal BpfObjectHandle(nint handle) : this() => SetHandle(handle);
        public override bool IsInvalid => handle == IntPtr.Zero;
        protected override bool ReleaseHandle()
        {
            Libbpf.bpf_object__close(handle);
            return true;
        }
    }

    /// <summary>Owns a struct bpf_link*: destroying it detaches the program.</summary>
    internal sealed class BpfLinkHandle : SafeHandle
    {
        public BpfLinkHandle() : base(IntPtr.Zero, ownsHandle: true) { }
        internal BpfLinkHandle(nint handle) : this() => SetHandle(handle);
        public override bool IsInvalid => handle == IntPtr.Zero;
        protected override bool ReleaseHandle() => Libbpf.bpf_link__destroy(handle) == 0;
    }

    /// <summary>Owns a memory mapping (mmap), unmapped on release.</summary>
    internal sealed class MappingHandle : SafeHandle
    {
        public MappingHandle() : base(IntPtr.Zero, ownsHandle: true) { }
        internal MappingHandle(nint address, nuint length) : this()
        {
            Length = length;
            SetHandle(address);
        }
        internal nuint Length { get; }
        public override bool IsInvalid => handle == IntPtr.Zero || handle == Libc.MAP_FAILED;
        protected override bool ReleaseHandle() => Libc.munmap(handle, Length) == 0;
    }

    /// <summary>Owns a struct perf_buffer* (the consumer side of a perf event array).</summary>
    internal sealed class PerfBufferHandle : SafeHandle
    {
        public PerfBufferHandle() : base(IntPtr.Zero, ownsHandle: true) { }
        internal PerfBufferHandle(nint handle) : this() => SetHandle(handle);
        public override bool IsInvalid => handle == IntPtr.Zero;
        protected override bool ReleaseHandle()
        {
            Libbpf.perf_buffer__free(handle);
            return true;
        }
    }
}
