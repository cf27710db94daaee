namespace EbpfPS
{
    /// <summary>One thing this kernel can or cannot do for eBPF, found by trying it (not by the version number).</summary>
    public sealed class BpfFeature
    {
        /// <summary>Kernel (a capability such as BTF or kprobes), ProgramType or MapType.</summary>
        public string Category { get; set; } = "";
        public string Name { get; set; } = "";
        /// <summary>True or false as probed; empty when it could not be told (e.g. probing needs root).</summary>
        public bool? Supported { get; set; }
        /// <summary>How it was probed and, when missing, which kernel option or step would provide it.</summary>
        public string Detail { get; set; } = "";
    }
}
