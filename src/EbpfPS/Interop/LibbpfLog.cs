using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace EbpfPS.Interop
{
    /// <summary>libbpf's print callback. libbpf logs synchronously on the calling thread, so the lines of
    /// one operation are captured by a thread-local scope that the caller turns into Verbose/Debug output
    /// or into the verifier log of an error.</summary>
    internal static unsafe class LibbpfLog
    {
        internal enum Level { Warning = 0, Info = 1, Debug = 2 }

        internal readonly record struct Line(Level Level, string Text);

        private const int VaListCopySize = 32;
        [ThreadStatic] private static List<Line>? _capture;
        private static int _installed;

        /// <summary>Starts capturing libbpf's lines on this thread until the scope is disposed.</summary>
        internal static Scope Capture()
        {
            if (Interlocked.Exchange(ref _installed, 1) == 0)
                Libbpf.libbpf_set_print((nint)(delegate* unmanaged[Cdecl]<int, byte*, nint, int>)&Print);
            var previous = _capture;
            _capture = new List<Line>();
            return new Scope(_capture, previous);
        }

        internal sealed class Scope : IDisposable
        {
            private readonly List<Line>? _previous;
            internal Scope(List<Line> lines, List<Line>? previous)
            {
                Lines = lines;
                _previous = previous;
            }

            internal List<Line> Lines { get; }

            /// <summary>The verifier's log that libbpf prints between its BEGIN/END PROG LOAD LOG markers.</summary>
            internal string? VerifierLog()
            {
                var all = new StringBuilder();
                foreach (var line in Lines) all.Append(line.Text);
                string text = all.ToString();
                int begin = text.IndexOf("-- BEGIN PROG LOAD LOG --", StringComparison.Ordinal);
                int end = text.IndexOf("-- END PROG LOAD LOG --", StringComparison.Ordinal);
                if (begin < 0 || end < begin) return null;
                begin = text.IndexOf('\n', begin) + 1;
                return text[begin..end].TrimEnd();
            }

            public void Dispose() => _capture = _previous;
        }

        [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
        private static int Print(int level, byte* format, nint args)
        {
            var capture = _capture;
            if (capture is null) return 0; // nobody asked: libbpf stays quiet rather than writing to stderr
            // A va_list is used up by one vsnprintf; keep a copy (va_copy is a plain copy of the
            // va_list structure: 24 bytes on x86-64, 32 on arm64) for a verifier log longer than the buffer.
            byte* copy = stackalloc byte[VaListCopySize];
            Buffer.MemoryCopy((void*)args, copy, VaListCopySize, VaListCopySize);
            const int size = 4096;
            byte* buffer = stackalloc byte[size];
            int n = Libc.vsnprintf(buffer, size, format, args);
            if (n < 0) return 0;
            if (n < size)
            {
                capture.Add(new Line((Level)level, Encoding.UTF8.GetString(buffer, n)));
                return n;
            }
            var large = new byte[n + 1];
            fixed (byte* p = large) Libc.vsnprintf(p, (nuint)large.Length, format, (nint)copy);
            capture.Add(new Line((Level)level, Encoding.UTF8.GetString(large, 0, n)));
            return n;
        }
    }
}
