using System;

namespace EbpfPS
{
    /// <summary>An event whose Timestamp PowerShell shows through <see cref="EventTimestamp"/>.</summary>
    internal interface ITimestamped
    {
        DateTime Timestamp { get; set; }
    }
}
