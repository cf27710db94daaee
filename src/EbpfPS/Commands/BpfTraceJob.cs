using System.Management.Automation;
using System.Threading;
using System;
using EbpfPS.Commands;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;

namespace EbpfPS
{
    /// <summary>A trace running in the background (-AsJob): Receive-Job takes its events, Stop-Job detaches
    /// it, Remove-Job frees it. Its Trace gives Read-BpfMap the trace's maps while it runs.</summary>
    public sealed class BpfTraceJob : Job
    {
        /// <summary>Events waiting for Receive-Job beyond this many are dropped and counted, so that a trace
        /// nobody reads cannot take all memory.</summary>
        internal const int MaxUnreadEvents = 100_000;

        private readonly IEventSource<object> _source;
        private readonly EventPump<object> _pump;
        private readonly Thread _thread;
        private volatile bool _stopping;
        private long _dropped;

        internal BpfTraceJob(string command, string activity, IEventSource<object> source, int count, TimeSpan duration)
            : base(command)
        {
            _source = source;
            _pump = new EventPump<object>(source, count, duration);
            Trace = source.Object is null ? null : new BpfTrace(activity, source.Object);
            PSJobTypeName = nameof(BpfTraceJob);
            _thread = new Thread(Run) { IsBackground = true, Name = "EbpfPS job" };
        }

        /// <summary>The running trace (its maps), or empty for sources without a BPF object.</summary>
        public BpfTrace? Trace { get; }

        /// <summary>Events handed to the job's output so far.</summary>
        public long EventCount => _pump.Written;

        /// <summary>Events the kernel could not hand over (buffer full).</summary>
        public ulong LostCount => _pump.Lost;

        /// <summary>Events dropped because more than MaxUnreadEvents waited for Receive-Job.</summary>
        public long DroppedCount => Interlocked.Read(ref _dropped);

        public override bool HasMoreData => Output.Count > 0 || Error.Count > 0 || Warning.Count > 0;
        public override string Location => Environment.MachineName;
        public override string StatusMessage => $"{EventCount} events, {LostCount} lost, {DroppedCount} dropped";

        /// <summary>What the lost-events warning advises (<see cref="BpfStreamCommand{TEvent}.LossAdvice"/>).</summary>
        internal string LossAdvice { get; set; } = "";

        internal void Start()
        {
            SetJobState(JobState.Running);
            _thread.Start();
        }

        private void Run()
        {
            var final = JobState.Completed;
            try
            {
                _pump.Run(() => _stopping, Add, (lost, ended) => Warning.Add(new WarningRecord(BpfStreamCommand<object>.LostWarning(lost, ended, LossAdvice))));
                if (_pump.Undelivered > 0) Warning.Add(new WarningRecord(BpfStreamCommand<object>.UndeliveredWarning(_pump.Undelivered)));
            }
            catch (BpfException e)
            {
                Error.Add(BpfErrors.From(e));
                final = JobState.Failed;
            }
            finally
            {
                _source.Dispose();
            }
            SetJobState(_stopping ? JobState.Stopped : final);
        }

        private void Add(object item)
        {
            if (Output.Count >= MaxUnreadEvents)
            {
                if (Interlocked.Increment(ref _dropped) == 1)
                    Warning.Add(new WarningRecord($"More than {MaxUnreadEvents} events wait for Receive-Job: further events are dropped and counted in DroppedCount until they are received."));
                return;
            }
            Output.Add(PSObject.AsPSObject(item));
        }

        public override void StopJob()
        {
            _stopping = true;
            if (_thread.IsAlive && _thread != Thread.CurrentThread) _thread.Join();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) StopJob();
            base.Dispose(disposing);
        }
    }
}
