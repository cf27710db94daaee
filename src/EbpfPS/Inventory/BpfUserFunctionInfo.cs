namespace EbpfPS
{
    /// <summary>A function of a user-space program or library that -UserFunction can trace: its symbol, its file and
    /// where its code starts in the file (where the uprobe goes).</summary>
    public sealed class BpfUserFunctionInfo
    {
        public string Name { get; set; } = "";
        public string Path { get; set; } = "";
        /// <summary>The file offset of its first instruction.</summary>
        public ulong Offset { get; set; }

        /// <summary>What -UserFunction takes to trace it.</summary>
        public string UserFunction => $"{Path}:{Name}";

        public override string ToString() => UserFunction;
    }
}
