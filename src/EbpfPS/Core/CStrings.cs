using System;
using System.Text;

namespace EbpfPS.Core
{
    /// <summary>NUL-terminated strings in fixed kernel buffers (comm, paths).</summary>
    internal static unsafe class CStrings
    {
        internal static string Read(ReadOnlySpan<byte> buffer)
        {
            int end = buffer.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end < 0 ? buffer : buffer[..end]);
        }

        internal static string Read(byte* buffer, int capacity) => Read(new ReadOnlySpan<byte>(buffer, capacity));
    }
}
