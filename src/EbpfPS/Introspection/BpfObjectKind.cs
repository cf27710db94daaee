namespace EbpfPS.Introspection
{
    /// <summary>The kinds of kernel BPF objects that have ids and can be pinned.</summary>
    internal enum BpfObjectKind { Program, Map, Link }
}
