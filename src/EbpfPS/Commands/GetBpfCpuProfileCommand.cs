using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using EbpfPS.Core;
using EbpfPS.Core.Objects;
using EbpfPS.Probes.Profile;

namespace EbpfPS.Commands
{
    /// <summary>A CPU profile: samples every CPU's stack (kernel and user) at -Frequency for -Duration, counts them in the
    /// kernel, and writes one object per unique stack with its count and share, the most counted first. Pipe them to
    /// Export-BpfFlameGraph.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfCpuProfile")]
    [OutputType(typeof(BpfCpuProfileSample))]
    public sealed class GetBpfCpuProfileCommand : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cancel = new();

        /// <summary>How long to sample: seconds (10), units (500ms, 2m), 00:00:10 or a TimeSpan. The samples are written at the end.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [TimeSpanArgument]
        public TimeSpan Duration { get; set; }

        /// <summary>Samples per second on each CPU (default 99: off the beat of timers that run at round rates).</summary>
        [Parameter]
        [ValidateRange(1, 1_000_000)]
        public int Frequency { get; set; } = CpuClockEvents.DefaultFrequency;

        /// <summary>Only samples of these processes; the filter runs in the kernel.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateRange(1, int.MaxValue)]
        public int[]? ProcessId { get; set; }

        /// <summary>Only these CPUs (default: every online one).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateRange(0, 8191)]
        public int[]? Cpu { get; set; }

        /// <summary>Also count the samples that find a CPU idle (the idle task, process 0, "swapper/N").</summary>
        [Parameter]
        public SwitchParameter IncludeIdle { get; set; }

        protected override void EndProcessing()
        {
            if (Duration <= TimeSpan.Zero)
                ThrowTerminatingError(BpfErrors.InvalidParameter(BpfErrorIds.InvalidDuration,
                    $"The duration {Duration} is not positive.", "Give a positive time span, e.g. -Duration 10 (seconds), 2m or 00:00:10.", Duration));
            var settings = new CpuProfileSettings
            {
                Frequency = Frequency,
                ProcessIds = ProcessId ?? Array.Empty<int>(),
                Cpus = Cpu ?? Array.Empty<int>(),
                IncludeIdle = IncludeIdle,
            };
            var samples = new System.Collections.Generic.List<BpfCpuProfileSample>();
            var losses = new CpuProfileLosses();
            try
            {
                // detached and unloaded before the samples are written: the pipeline may take its time with them
                using (var probe = CpuProfileProbe.Start(settings, new AttachProgress { Token = _cancel.Token }))
                {
                    WriteVerbose($"Sampling CPUs {string.Join(",", probe.Cpus)} at {Frequency} Hz for {Duration}.");
                    if (!Wait()) return; // Ctrl-C
                    losses = probe.Losses;
                    samples = probe.Read();
                }
            }
            catch (BpfException e)
            {
                ThrowTerminatingError(BpfErrors.From(e));
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException(); // Ctrl-C while attaching: all undone
            }
            WriteProgress(new ProgressRecord(1, "Profiling", "Done") { RecordType = ProgressRecordType.Completed });
            // told before the samples, so that a pipeline that stops after the first ones has seen it
            if (losses.Total > 0) WriteWarning(LossWarning(losses));
            foreach (var sample in samples) WriteObject(sample);
        }

        /// <summary>Waits out -Duration with progress; false when stopped.</summary>
        private bool Wait()
        {
            var clock = Stopwatch.StartNew();
            return DeadlineWait.WaitUntil(_cancel.Token, () => clock.Elapsed, Duration, () =>
                WriteProgress(new ProgressRecord(1, "Profiling", $"{Math.Max(0, (int)(Duration - clock.Elapsed).TotalSeconds)} s left")
                {
                    PercentComplete = (int)Math.Clamp(100 * clock.Elapsed.Ticks / Duration.Ticks, 0, 100),
                }));
        }

        private static string LossWarning(CpuProfileLosses losses)
        {
            var parts = new System.Collections.Generic.List<string>();
            if (losses.KernelCollisions + losses.UserCollisions > 0)
                parts.Add($"{losses.KernelCollisions + losses.UserCollisions} stacks were lost to collisions in the kernel's stack map ({losses.KernelCollisions} kernel, {losses.UserCollisions} user): those samples are counted without them");
            if (losses.UserMissing > 0)
                parts.Add($"{losses.UserMissing} samples of processes had no readable user stack");
            if (losses.KeysFull > 0)
                parts.Add($"{losses.KeysFull} samples were not counted: the kernel's table of stacks was full");
            return string.Join("; ", parts) + ". A shorter -Duration, a lower -Frequency or -ProcessId makes fewer distinct stacks.";
        }

        protected override void StopProcessing() => _cancel.Cancel();

        public void Dispose()
        {
            _cancel.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
