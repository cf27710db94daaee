using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using EbpfPS.Core.Objects;
using EbpfPS.Interop;

namespace EbpfPS.Core
{
    /// <summary>Software CPU clock perf events that sample one CPU at a frequency: what a profiler's perf_event program
    /// runs on. A software clock works in VMs and containers, where hardware counters often do not.</summary>
    internal static unsafe class CpuClockEvents
    {
        internal const string MaxSampleRatePath = "/proc/sys/kernel/perf_event_max_sample_rate";

        /// <summary>Samples a second when none is asked for: 99, off the beat of timers that run at round rates.</summary>
        internal const int DefaultFrequency = 99;

        /// <summary>The kernel's highest sampling frequency (kernel.perf_event_max_sample_rate), if it can be read.</summary>
        internal static int? MaxFrequency()
        {
            try { return int.Parse(File.ReadAllText(MaxSampleRatePath).Trim(), CultureInfo.InvariantCulture); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return null; }
        }

        /// <summary>Before anything is loaded: the CPUs to sample, in order (every online one when none is given), each
        /// online, at a frequency the kernel allows.</summary>
        internal static IReadOnlyList<int> Demand(int frequency, IReadOnlyCollection<int> cpus)
        {
            var online = Cpus.Online();
            var chosen = cpus.Count > 0 ? cpus.Distinct().Order().ToList() : online.ToList();
            if (chosen.FirstOrDefault(c => !online.Contains(c), -1) is var offline and >= 0)
                throw new BpfException(BpfErrorKind.InvalidArgument, $"CPU {offline} is not online; the online CPUs are {string.Join(",", online)}.",
                    $"Give CPUs of {Cpus.OnlinePath}: -Cpu {string.Join(",", online.Take(4))}.") { ErrorId = BpfErrorIds.UnknownCpu };
            if (MaxFrequency() is { } max && frequency > max)
                throw new BpfException(BpfErrorKind.InvalidArgument,
                    $"The kernel samples at most {max} times a second (kernel.perf_event_max_sample_rate), not {frequency}.",
                    $"Give a -Frequency of at most {max}, such as 99 or 999.") { ErrorId = BpfErrorIds.InvalidFrequency };
            return chosen;
        }

        /// <summary>Attaches a loaded perf_event program to a new event sampling CPU <paramref name="cpu"/>; the link owns the event.</summary>
        internal static BpfLink Attach(BpfObject obj, BpfProgram program, int cpu, int frequency) =>
            obj.AttachPerfEvent(program, Open(cpu, frequency), $"a {frequency} Hz CPU clock on CPU {cpu}");

        /// <summary>An event sampling every task on CPU <paramref name="cpu"/> <paramref name="frequency"/> times a second;
        /// its fd, which the caller owns.</summary>
        internal static int Open(int cpu, int frequency)
        {
            var attr = new PerfEventAttr
            {
                Type = PerfEvents.PERF_TYPE_SOFTWARE,
                Size = (uint)sizeof(PerfEventAttr),
                Config = PerfEvents.PERF_COUNT_SW_CPU_CLOCK,
                SampleFrequency = (ulong)frequency,
                Flags = PerfEvents.FlagFrequency,
            };
            int fd = PerfEvents.perf_event_open(&attr, pid: -1, cpu, groupFd: -1, PerfEvents.PERF_FLAG_FD_CLOEXEC);
            if (fd >= 0) return fd;
            int errno = Errno.Last;
            string what = $"Opening a {frequency} Hz CPU clock event on CPU {cpu} (perf_event_open) failed";
            throw errno switch
            {
                Errno.EACCES or Errno.EPERM => new BpfException(BpfErrorKind.PermissionDenied, $"{what}: {Errno.Describe(errno)}.",
                    "Run as root, or give the process CAP_PERFMON (CAP_SYS_ADMIN before Linux 5.8); kernel.perf_event_paranoid decides what others may sample.")
                { Errno = errno, ErrorId = BpfErrorIds.PerfEventDenied },
                Errno.EINVAL when MaxFrequency() is { } max && frequency > max => new BpfException(BpfErrorKind.InvalidArgument,
                    $"{what}: the kernel samples at most {max} times a second (kernel.perf_event_max_sample_rate).",
                    $"Give a -Frequency of at most {max}, such as 99 or 999.") { Errno = errno, ErrorId = BpfErrorIds.InvalidFrequency },
                Errno.ENODEV or Errno.ENOENT or Errno.EINVAL => new BpfException(BpfErrorKind.NotSupported, $"{what}: {Errno.Describe(errno)}.",
                    "Check that the CPU is online (Get-Content /sys/devices/system/cpu/online) and that the kernel has perf events (CONFIG_PERF_EVENTS).")
                { Errno = errno, ErrorId = BpfErrorIds.PerfEventFailed },
                _ => ErrnoFailures.Exception(errno, BpfErrorKind.AttachFailed, what, errorId: BpfErrorIds.PerfEventFailed),
            };
        }
    }
}
