using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace EbpfPS
{
    /// <summary>A list of names, paths or ids of a kernel object ($p.MapIds[0], -contains, .Count), which as text
    /// (Export-Csv, "$($p.PinnedPaths)") is its items joined by ", ", where an array would be written as
    /// "System.UInt32[]".</summary>
    public sealed class BpfList<T> : ReadOnlyCollection<T>
    {
        public BpfList(IList<T> items) : base(items) { }

        public static implicit operator BpfList<T>(T[] items) => new(items);

        public override string ToString() => string.Join(", ", this);
    }
}
