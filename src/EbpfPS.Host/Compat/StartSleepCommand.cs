using System;
using System.Management.Automation;
using System.Threading;

namespace EbpfPS.Host.Compat
{
    /// <summary>Start-Sleep: waits -Seconds, -Milliseconds or -Duration; Ctrl-C ends the wait at once.</summary>
    [Cmdlet(VerbsLifecycle.Start, "Sleep", DefaultParameterSetName = "Seconds")]
    public sealed class StartSleepCommand : PSCmdlet, IDisposable
    {
        [Parameter(Position = 0, Mandatory = true, ParameterSetName = "Seconds", ValueFromPipeline = true)]
        [ValidateRange(0.0, int.MaxValue / 1000.0)]
        public double Seconds { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = "Milliseconds")]
        [Alias("ms")]
        [ValidateRange(0, int.MaxValue)]
        public int Milliseconds { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = "Duration")]
        [Alias("ts")]
        public TimeSpan Duration { get; set; }

        private readonly ManualResetEventSlim _stopped = new();

        protected override void ProcessRecord()
        {
            TimeSpan wait = ParameterSetName switch
            {
                "Milliseconds" => TimeSpan.FromMilliseconds(Milliseconds),
                "Duration" => Duration,
                _ => TimeSpan.FromSeconds(Seconds),
            };
            _stopped.Wait(wait);
        }

        protected override void StopProcessing() => _stopped.Set();

        public void Dispose() => _stopped.Dispose();
    }
}
