namespace EbpfPS
{
    /// <summary>Whether and how a kernel function can be traced here.</summary>
    public sealed class BpfKernelFunctionInfo
    {
        public string Name { get; set; } = "";
        /// <summary>The module the function is in, empty for the kernel itself.</summary>
        public string Module { get; set; } = "";
        /// <summary>Its address in /proc/kallsyms (0 where the kernel hides addresses).</summary>
        public ulong Address { get; set; }
        /// <summary>Listed in available_filter_functions (can be kprobed/fentried); empty when that list cannot be read.</summary>
        public bool? Traceable { get; set; }
        /// <summary>BTF describes its prototype: arguments can be named and typed, and fentry can target it.</summary>
        public bool HasBtf { get; set; }
        public string Prototype { get; set; } = "";
        /// <summary>This kernel has kprobes and the function is not known to be untraceable.</summary>
        public bool KprobeAvailable { get; set; }
        /// <summary>fentry works on this kernel and the function has BTF.</summary>
        public bool FentryAvailable { get; set; }
    }
}
