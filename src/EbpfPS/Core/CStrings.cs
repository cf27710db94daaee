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

        /// <summary>Bytes as a C string literal, the way strace shows buffers: "GET / HTTP/1.1\r\n", \xNN for
        /// what is not printable ASCII, and ... after the quote when there was more than was copied.</summary>
        internal static string Quote(ReadOnlySpan<byte> bytes, bool truncated)
        {
            var text = new StringBuilder(bytes.Length + 8).Append('"');
            foreach (byte b in bytes)
            {
                text.Append(b switch
                {
                    (byte)'"' => "\\\"",
                    (byte)'\\' => "\\\\",
                    (byte)'\n' => "\\n",
                    (byte)'\r' => "\\r",
                    (byte)'\t' => "\\t",
                    >= 0x20 and < 0x7f => ((char)b).ToString(),
                    _ => $"\\x{b:x2}",
                });
            }
            text.Append('"');
            if (truncated) text.Append("...");
            return text.ToString();
        }
    }
}
