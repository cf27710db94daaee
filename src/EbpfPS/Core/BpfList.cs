using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace EbpfPS
{
    /// <summary>A list of names, paths or ids of a kernel object ($p.MapIds[0], -contains, .Count), which as text
    /// (Export-Csv, $p.PinnedPaths.ToString()) is its items joined by ", ", where an array would be written as
    /// "System.UInt32[]". The module's other lists (bytes, stacks, argv) derive from it and write their own text.</summary>
    public class BpfList<T> : ReadOnlyCollection<T>
    {
        public BpfList(IList<T> items) : base(items) { }

        public static implicit operator BpfList<T>(T[] items) => new(items);

        /// <summary>As an array has it, for scripts written when these were arrays: without it PowerShell would
        /// enumerate the items' Length.</summary>
        public int Length => Count;

        public override string ToString() => string.Join(", ", this);
    }
}
