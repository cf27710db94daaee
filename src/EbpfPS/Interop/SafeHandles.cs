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

    /// <summary>Owns a struct btf* loaded on its own (not one that belongs to a bpf_object).</summary>
    internal sealed class BtfHandle : SafeHandle
    {
        public BtfHandle() : base(IntPtr.Zero, ownsHandle: true) { }
        internal BtfHandle(nint handle) : this() => SetHandle(handle);
        public override bool IsInvalid => handle == IntPtr.Zero;
        protected override bool ReleaseHandle()
        {
            Libbpf.btf__free(handle);
            return true;
        }
    }

    /// <summary>Owns a struct ring_buffer* (the consumer side, not the map).</summary>
    internal sealed class RingBufferHandle : SafeHandle
    {
        public RingBufferHandle() : base(IntPtr.Zero, ownsHandle: true) { }
        internal RingBufferHandle(nint handle) : this() => SetHandle(handle);
        public override bool IsInvalid => handle == IntPtr.Zero;
        protected override bool ReleaseHandle()
        {
            Libbpf.ring_buffer__free(handle);
            return true;
        }
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
