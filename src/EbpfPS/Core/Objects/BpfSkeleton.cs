using System;
using System.Runtime.InteropServices;

namespace EbpfPS.Core.Objects
{
    /// <summary>An embedded object (bpf/NAME.bpf.c), loaded, through the skeleton the build generates from its BTF
    /// (EbpfPS.Bpf.NAMESkeleton): its maps and programs in the kernel. It comes from its open phase,
    /// <see cref="BpfOpenSkeleton{TLoaded}"/> (NAMESkeleton.Open); disposing it detaches and unloads everything,
    /// as BpfObject does.</summary>
    internal abstract class BpfSkeleton : IDisposable
    {
        protected BpfSkeleton(BpfObject loaded) => Object = loaded;

        /// <summary>The object, for what all objects share (attaching, links, the log).</summary>
        public BpfObject Object { get; }

        public void Dispose() => Object.Dispose();
    }

    /// <summary>An embedded object opened and not loaded yet (EbpfPS.Bpf.NAMESkeleton.Open): its read-only globals
    /// are written in place, its maps sized and its programs chosen, and only here; <see cref="Load"/> hands the
    /// object over to the loaded skeleton. Disposing it frees the object unless it was loaded.</summary>
    internal abstract unsafe class BpfOpenSkeleton<TLoaded> : IDisposable where TLoaded : BpfSkeleton
    {
        private BpfObject? _object;

        protected BpfOpenSkeleton(string source, int readOnlySize)
        {
            _object = BpfObject.Open(EmbeddedObjects.Read(source), "ebpfps_" + source);
            if (_object.ReadOnlyData().Length != readOnlySize)
            {
                _object.Dispose();
                throw new InvalidOperationException($"The embedded {source}.bpf.o does not match its skeleton: build the module again.");
            }
        }

        private BpfObject Object => _object
            ?? throw new InvalidOperationException("The object is loaded: use the skeleton that Load returned.");

        /// <summary>Loads the programs and maps into the kernel (the read-only globals are frozen from now on) and
        /// returns the loaded skeleton, which owns the object from now on.</summary>
        public TLoaded Load()
        {
            var obj = Object;
            obj.Load();
            _object = null;
            return Loaded(obj);
        }

        /// <summary>The generated loaded skeleton around the object.</summary>
        protected abstract TLoaded Loaded(BpfObject loaded);

        /// <summary>A program by its name in the kernel (the generated properties name each).</summary>
        public BpfOpenProgram Program(string name) => new(Object.Program(name));

        /// <summary>A map by its name (the generated properties name each).</summary>
        protected BpfOpenMap Map(string name) => new(Object.Map(name));

        /// <summary>A global of .rodata, in libbpf's copy of the section that Load hands to the kernel.</summary>
        protected ref T ReadOnly<T>(int offset) where T : unmanaged =>
            ref MemoryMarshal.AsRef<T>(Object.ReadOnlyData().Slice(offset, sizeof(T)));

        /// <summary>An array global of .rodata (see <see cref="ReadOnly{T}"/>).</summary>
        protected Span<T> ReadOnlySpan<T>(int offset, int length) where T : unmanaged =>
            MemoryMarshal.Cast<byte, T>(Object.ReadOnlyData().Slice(offset, length * sizeof(T)));

        public void Dispose()
        {
            _object?.Dispose();
            _object = null;
        }
    }
}
