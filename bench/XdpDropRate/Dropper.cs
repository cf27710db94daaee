using System;

namespace EbpfPS.Bench.XdpDropRate
{
    /// <summary>One way of dropping the generator's frames at the receiver's veth end.</summary>
    internal interface IDropper : IDisposable
    {
        string Name { get; }

        /// <summary>Frames this dropper counted as dropped so far, or null when it keeps no count.</summary>
        ulong? Dropped();
    }
}
