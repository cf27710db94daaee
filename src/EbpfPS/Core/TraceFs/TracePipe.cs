using System;
using System.Collections.Generic;
using System.Text;
using EbpfPS.Interop;
using Microsoft.Win32.SafeHandles;

namespace EbpfPS.Core.TraceFs
{
    /// <summary>Reads the lines of tracefs's trace_pipe without ever blocking longer than asked, so that a
    /// cmdlet can stop promptly. Reading consumes: a line read here is gone for every other reader.</summary>
    internal sealed unsafe class TracePipe : IDisposable
    {
        private const int ChunkBytes = 64 * 1024, MaxChunksPerRead = 16;

        private readonly SafeFileHandle _fd;
        private readonly byte[] _chunk = new byte[ChunkBytes];
        private readonly List<byte> _partialLine = new();

        private TracePipe(SafeFileHandle fd, string path)
        {
            _fd = fd;
            Path = path;
        }

        internal string Path { get; }

        /// <summary>Opens trace_pipe (or any file that behaves like it) for non-blocking reads.</summary>
        internal static TracePipe Open(string path)
        {
            int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            if (fd < 0)
            {
                int errno = Errno.Last;
                throw ErrnoFailures.Exception(errno, BpfErrorKind.TraceFsUnavailable, $"Opening {path} failed",
                    errno is Errno.EACCES or Errno.EPERM
                        ? "Run PowerShell as root (sudo pwsh): tracefs lets only root read the trace log."
                        : "Check that tracefs is mounted (mount -t tracefs nodev /sys/kernel/tracing) and the kernel has CONFIG_TRACING.");
            }
            return new TracePipe(new SafeFileHandle(fd, ownsHandle: true), path);
        }

        /// <summary>Adds the complete lines that arrive within <paramref name="timeoutMs"/> to <paramref name="lines"/>.
        /// A line the kernel has only partly handed over is kept until its end arrives.</summary>
        internal void ReadLines(int timeoutMs, List<string> lines)
        {
            // trace_pipe's poll may wait for buffer_percent of the ring buffer to fill, so read first and
            // after the wait whatever poll says: a read of an empty pipe just returns EAGAIN.
            if (ReadAvailable(lines) > 0 || timeoutMs <= 0) return;
            WaitReadable(timeoutMs);
            ReadAvailable(lines);
        }

        /// <summary>Reads until the pipe is empty, or MaxChunksPerRead chunks were read so that a flood of
        /// lines still returns to the caller (to be written, or stopped); returns the bytes read.</summary>
        private int ReadAvailable(List<string> lines)
        {
            int total = 0;
            for (int chunk = 0; chunk < MaxChunksPerRead; chunk++)
            {
                nint n;
                fixed (byte* buffer = _chunk) n = Libc.read(_fd, buffer, (nuint)_chunk.Length);
                if (n < 0)
                {
                    int errno = Errno.Last;
                    if (errno == Libc.EAGAIN || errno == Errno.EINTR) return total;
                    throw ErrnoFailures.Exception(errno, BpfErrorKind.ReadFailed, $"Reading {Path} failed");
                }
                if (n == 0) return total;
                Split(_chunk.AsSpan(0, (int)n), lines);
                total += (int)n;
            }
            return total;
        }

        private void Split(ReadOnlySpan<byte> data, List<string> lines)
        {
            int newline;
            while ((newline = data.IndexOf((byte)'\n')) >= 0)
            {
                var line = data[..newline];
                if (_partialLine.Count == 0) lines.Add(Encoding.UTF8.GetString(line));
                else
                {
                    _partialLine.AddRange(line);
                    lines.Add(Encoding.UTF8.GetString(_partialLine.ToArray()));
                    _partialLine.Clear();
                }
                data = data[(newline + 1)..];
            }
            _partialLine.AddRange(data);
        }

        private void WaitReadable(int timeoutMs)
        {
            bool added = false;
            try
            {
                _fd.DangerousAddRef(ref added);
                var pollFd = new Libc.PollFd { Fd = (int)_fd.DangerousGetHandle(), Events = Libc.POLLIN };
                if (Libc.poll(&pollFd, 1, timeoutMs) < 0 && Errno.Last != Errno.EINTR)
                    throw ErrnoFailures.Exception(Errno.Last, BpfErrorKind.ReadFailed, $"Waiting for {Path} failed");
            }
            finally
            {
                if (added) _fd.DangerousRelease();
            }
        }

        public void Dispose() => _fd.Dispose();
    }
}
