using System;
using System.Runtime.InteropServices;

namespace EbpfPS.Interop
{
    /// <summary>perf_event_open(2), which libc does not wrap: the events a perf_event BPF program runs on.</summary>
    internal static unsafe partial class PerfEvents
    {
        internal const uint PERF_TYPE_SOFTWARE = 1;
        internal const ulong PERF_COUNT_SW_CPU_CLOCK = 0;
        /// <summary>attr flags: bit 10, sample_freq is a frequency (Hz) rather than a period.</summary>
        internal const ulong FlagFrequency = 1UL << 10;
        internal const ulong PERF_FLAG_FD_CLOEXEC = 1UL << 3;

        [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
        private static partial long syscall(long number, PerfEventAttr* attr, int pid, int cpu, int groupFd, ulong flags);

        /// <summary>The new event's fd, or -1 with errno set.</summary>
        internal static int perf_event_open(PerfEventAttr* attr, int pid, int cpu, int groupFd, ulong flags) =>
            (int)syscall(SyscallNumber, attr, pid, cpu, groupFd, flags);

        private static long SyscallNumber => RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 298,
            Architecture.Arm64 => 241,
            var other => throw new PlatformNotSupportedException($"perf_event_open's number on {other} is not known here."),
        };
    }

    /// <summary>struct perf_event_attr up to config2 (PERF_ATTR_SIZE_VER1, 72 bytes; the kernel takes any size it knows).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PerfEventAttr
    {
        public uint Type;
        public uint Size;
        public ulong Config;
        public ulong SampleFrequency;   // sample_period or, with FlagFrequency, sample_freq
        public ulong SampleType;
        public ulong ReadFormat;
        public ulong Flags;             // the bit fields: disabled, inherit, ..., freq (bit 10), ...
        public uint WakeupEvents;
        public uint BreakpointType;
        public ulong Config1;
        public ulong Config2;
    }
}
