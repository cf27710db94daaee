using System;
using System.Runtime.InteropServices;

namespace EbpfPS.Core.Objects
{
    /// <summary>An embedded object (bpf/NAME.bpf.c) through the skeleton the build generates from its BTF
    /// (EbpfPS.Bpf.NAMESkeleton): opened on construction, its read-only globals written in place until Load,
    /// then loaded; disposing it detaches and unloads everything, as BpfObject does.</summary>
    internal abstract unsafe class BpfSkeleton : IDisposable
    {
        protected BpfSkeleton(string source, int readOnlySize)
        {
            Object = BpfObject.Open(EmbeddedObjects.Read(source), "ebpfps_" + source);
            if (Object.ReadOnlyData().Length != readOnlySize)
            {
                Object.Dispose();
                throw new InvalidOperationException($"The embedded {source}.bpf.o does not match its skeleton: build the module again.");
            }
        }

        /// <summary>The object, for what all objects share (attaching, links, the log).</summary>
        public BpfObject Object { get; }

        /// <summary>Loads the programs and maps into the kernel; the read-only globals are frozen from now on.</summary>
        public void Load() => Object.Load();

        /// <summary>A global of .rodata, in libbpf's copy of the section that Load hands to the kernel.</summary>
        protected ref T ReadOnly<T>(int offset) where T : unmanaged =>
            ref MemoryMarshal.AsRef<T>(Object.ReadOnlyData().Slice(offset, sizeof(T)));

        /// <summary>An array global of .rodata (see <see cref="ReadOnly{T}"/>).</summary>
        protected Span<T> ReadOnlySpan<T>(int offset, int length) where T : unmanaged =>
            MemoryMarshal.Cast<byte, T>(Object.ReadOnlyData().Slice(offset, length * sizeof(T)));

        public void Dispose() => Object.Dispose();
    }
}
