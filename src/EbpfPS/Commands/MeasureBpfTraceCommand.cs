using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using EbpfPS.Core;
using EbpfPS.Core.Objects;
using EbpfPS.Core.Pipeline;
using EbpfPS.Probes;
using EbpfPS.Probes.Aggregation;
using EbpfPS.Probes.Exec;
using EbpfPS.Probes.KernelFunctions;
using EbpfPS.Probes.UserFunctions;
using EbpfPS.Probes.Syscalls;
using EbpfPS.Probes.Tracepoints;

namespace EbpfPS.Commands
{
    /// <summary>Counts, sums and histograms computed in the kernel, per key (process, command, syscall, error...),
    /// written as one object per key at the end of the trace or of each -Interval: bpftrace's count(), sum(),
    /// avg(), min(), max(), hist() and lhist() without an event crossing to user space.</summary>
    [Cmdlet(VerbsDiagnostic.Measure, "BpfTrace", DefaultParameterSetName = SyscallSet)]
    [OutputType(typeof(BpfMeasurement))]
    public sealed class MeasureBpfTraceCommand : PSCmdlet, IDisposable
    {
        private const string SyscallSet = "Syscall", TracepointSet = "Tracepoint", ExecSet = "Exec", KernelFunctionSet = "KernelFunction",
            UserFunctionSet = "UserFunction";
        private readonly CancellationTokenSource _cancel = new();

        /// <summary>Syscalls by name, wildcards allowed (read, open*); each call counted at its return.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = SyscallSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SyscallCompleter))]
        public string[] Syscall { get; set; } = Array.Empty<string>();

        /// <summary>Tracepoints as CATEGORY:NAME, wildcards allowed (sched:sched_process_fork, irq:*): each hit counted.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TracepointSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TracepointCompleter))]
        public string[] Tracepoint { get; set; } = Array.Empty<string>();

        /// <summary>A kernel function, counted at its entry (kprobe or fentry), or at its return where a key or the value
        /// needs it (Duration, ReturnValue, ErrorName).</summary>
        [Parameter(Mandatory = true, ParameterSetName = KernelFunctionSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KernelFunctionCompleter))]
        public string KernelFunction { get; set; } = "";

        /// <summary>A function of a user-space program or library as FILE:FUNCTION (libc:malloc), wildcards allowed in
        /// FUNCTION, counted at its entry (uprobe), or at its return where a key or the value needs it.</summary>
        [Parameter(Mandatory = true, ParameterSetName = UserFunctionSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(UserFunctionCompleter))]
        public string UserFunction { get; set; } = "";

        /// <summary>The user function's arguments as C declares them ('const char *path', 'int flags'), or its whole
        /// prototype: -By, -Sum and the others name them so, and a `char *` key counts by its text.</summary>
        [Parameter(ParameterSetName = UserFunctionSet)]
        [ValidateNotNullOrEmpty]
        public string[]? ArgumentType { get; set; }

        /// <summary>Kprobe or Fentry instead of the automatic choice.</summary>
        [Parameter(ParameterSetName = KernelFunctionSet)]
        public KernelFunctionMethod Method { get; set; }

        /// <summary>Every execve/execveat, counted when it returns (failed ones too).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ExecSet)]
        public SwitchParameter Exec { get; set; }

        /// <summary>Only calls that returned an error, chosen in the kernel.</summary>
        [Parameter(ParameterSetName = SyscallSet)]
        public SwitchParameter FailedOnly { get; set; }

        /// <summary>What to count by, up to four: ProcessId, ThreadId, Command, UserId, Cpu, Cgroup, Syscall,
        /// ReturnValue, ErrorName, or an argument of the syscalls by name (fd, count...). None: one total.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(MeasureKeyCompleter))]
        public string[] By { get; set; } = Array.Empty<string>();

        /// <summary>The value to sum per key: Duration (ns), ReturnValue, or a numeric argument (count...).
        /// Whichever of -Sum, -Average, -Minimum, -Maximum and -Histogram is given, all of Sum, Minimum, Maximum
        /// and Average of that one value are measured.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(MeasureValueCompleter))]
        public string? Sum { get; set; }

        /// <summary>The value to average per key (see -Sum).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(MeasureValueCompleter))]
        public string? Average { get; set; }

        /// <summary>The value whose minimum to keep per key (see -Sum).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(MeasureValueCompleter))]
        public string? Minimum { get; set; }

        /// <summary>The value whose maximum to keep per key (see -Sum).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(MeasureValueCompleter))]
        public string? Maximum { get; set; }

        /// <summary>The value to count in power-of-two buckets per key, like bpftrace's hist(); with -Linear, in
        /// linear ones.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(MeasureValueCompleter))]
        public string? Histogram { get; set; }

        /// <summary>With -Histogram: linear buckets from a minimum to a maximum in steps (0,100,10), like lhist(),
        /// plus one below the minimum and one from the maximum up.</summary>
        [Parameter]
        [ValidateCount(3, 3)]
        public long[]? Linear { get; set; }

        /// <summary>How long to measure: seconds (5), units (500ms, 2m), 00:00:05 or a TimeSpan. The totals are
        /// written at the end.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan Duration { get; set; }

        /// <summary>Writes the measurements every interval (1s, 00:00:05), each of that interval alone unless
        /// -Cumulative, like bpftrace's interval:s:1 { print(@); clear(@); }.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan Interval { get; set; }

        /// <summary>With -Interval: each measurement counts from the start of the trace.</summary>
        [Parameter]
        public SwitchParameter Cumulative { get; set; }

        /// <summary>With -Interval: stop after this many intervals.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; }

        /// <summary>Keys the kernel keeps (default 4096); events of further keys are not counted, and a warning
        /// says how many.</summary>
        [Parameter]
        [ValidateRange(1, 1 << 20)]
        public int MaxKeys { get; set; } = AggregationPlan.DefaultMaxKeys;

        /// <summary>Only events of these processes; the filter runs in the kernel.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateRange(1, int.MaxValue)]
        public int[]? ProcessId { get; set; }

        /// <summary>With -ProcessId: also the processes they have started, and those they start meanwhile.</summary>
        [Parameter]
        public SwitchParameter IncludeChildren { get; set; }

        /// <summary>Only events of tasks running as these user ids (real uid).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateRange(0, int.MaxValue)]
        public int[]? UserId { get; set; }

        /// <summary>Only events whose command is one of these names or starts with a prefix* (case-insensitive).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CommandNameCompleter))]
        public string[]? Command { get; set; }

        /// <summary>Only events of tasks in this cgroup v2 or below it.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CgroupCompleter))]
        public string? Cgroup { get; set; }

        private bool Given(string name) => MyInvocation.BoundParameters.ContainsKey(name);

        protected override void EndProcessing()
        {
            if (!Given(nameof(Duration)) && !Given(nameof(Interval)))
                ThrowTerminatingError(BpfErrors.InvalidParameter(BpfErrorIds.MeasureDurationRequired,
                    "Measure-BpfTrace needs -Duration or -Interval: it writes its measurements then, and Ctrl-C would stop the whole pipeline before.",
                    "Give -Duration 10 to measure ten seconds, or -Interval 1 for a measurement every second.", null));
            foreach (var (name, value) in new[] { (nameof(Duration), Duration), (nameof(Interval), Interval) })
                if (Given(name) && value <= TimeSpan.Zero)
                    ThrowTerminatingError(BpfErrors.InvalidParameter(BpfErrorIds.InvalidDuration,
                        $"The {name.ToLowerInvariant()} {value} is not positive.", $"Give a positive time span, e.g. -{name} 10 (seconds), 2m or 00:00:10.", value));
            try
            {
                Measure();
            }
            catch (BpfException e)
            {
                ThrowTerminatingError(BpfErrors.From(e));
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException(); // Ctrl-C while attaching: all undone
            }
        }

        /// <summary>The probe counts only; its ring of records stays empty.</summary>
        private static EventDelivery NoRecords => EventDelivery.Batched with { BufferBytes = (uint)EventDelivery.MinBufferBytes };

        private void Measure()
        {
            string traceFs = KernelSupport.DemandTraceFs();
            var cgroups = new CgroupNames();
            var stacks = new StackKeys();
            var filter = TaskFilter.Create(ProcessId ?? Array.Empty<int>(), IncludeChildren, UserId ?? Array.Empty<int>(),
                Command ?? Array.Empty<string>(), Cgroup);
            var progress = new AttachProgress { Token = _cancel.Token };
            if (ParameterSetName == TracepointSet)
            {
                var selection = TracepointSelection.Resolve(traceFs, Tracepoint);
                var formats = selection.Formats;
                var plan = Plan(name => TracepointMeasures.Key(name, formats, cgroups, stacks), name => TracepointMeasures.Value(name, formats));
                using var probe = new TracepointProbe(formats, filter, NoRecords, selection.Skippable, progress, measure: plan, stacks: stacks.Kinds);
                stacks.Attach(probe.Skeleton);
                if (probe.Skipped.Count > 0) WriteWarning(TracepointProbe.SkippedWarning(probe.Skipped, formats.Count, "measured"));
                Run($"Measuring {string.Join(", ", Tracepoint)}", plan, probe.Skeleton);
            }
            else if (ParameterSetName == KernelFunctionSet)
            {
                var prototype = Core.Btf.KernelBtf.Load().Function(KernelFunction);
                var plan = Plan(name => KernelFunctionMeasures.Key(name, prototype, cgroups, stacks), name => KernelFunctionMeasures.Value(name, prototype));
                bool withReturn = By.Concat(new[] { Sum, Average, Minimum, Maximum, Histogram }.OfType<string>()).Any(KernelFunctionMeasures.FromReturn);
                using var probe = KernelFunctionProbe.Open(KernelFunction, Method, withReturn, filter, NoRecords, plan, progress, stacks.Kinds);
                stacks.Attach(probe.Skeleton);
                Run($"Measuring {KernelFunction} ({probe.Method})", plan, probe.Skeleton);
            }
            else if (ParameterSetName == UserFunctionSet)
            {
                int? pid = ProcessId is [int one] ? one : null;
                var functions = UserFunctions.Resolve(UserFunction, pid);
                var prototype = UserFunctionPrototype.Parse(ArgumentType, UserFunction);
                var plan = Plan(name => UserFunctionMeasures.Key(name, functions, prototype, cgroups, stacks), name => UserFunctionMeasures.Value(name, prototype));
                bool withReturn = By.Concat(new[] { Sum, Average, Minimum, Maximum, Histogram }.OfType<string>()).Any(KernelFunctionMeasures.FromReturn);
                using var probe = UserFunctionProbe.Open(functions, prototype: null, withReturn, filter, pid, IncludeChildren, NoRecords, plan, progress, stacks.Kinds);
                stacks.Attach(probe.Skeleton);
                Run($"Measuring {UserFunction}", plan, probe.Skeleton);
            }
            else if (ParameterSetName == ExecSet)
            {
                var plan = Plan(name => ExecMeasures.Key(name, cgroups), ExecMeasures.Value);
                using var probe = new ExecProbe(filter, NoRecords, plan, progress);
                Run("Measuring execs", plan, probe.Skeleton);
            }
            else
            {
                var syscalls = Probes.Syscalls.Syscall.Resolve(traceFs, Syscall);
                var plan = Plan(name => SyscallMeasures.Key(name, syscalls, cgroups, stacks), name => SyscallMeasures.Value(name, syscalls));
                using var probe = new SyscallProbe(syscalls, filter, NoRecords, failedOnly: FailedOnly, progress: progress, measure: plan, stacks: stacks.Kinds);
                stacks.Attach(probe.Skeleton);
                Run($"Measuring syscalls {string.Join(", ", syscalls.Select(s => s.Name))}", plan, probe.Skeleton);
            }
        }

        /// <summary>Reads and writes the measurements at each interval and at the end.</summary>
        private void Run(string activity, AggregationPlan plan, IAggregateSkeleton maps)
        {
            WriteVerbose($"{activity}: attached.");
            var reader = new AggregateReader(plan, maps);
            var clock = Stopwatch.StartNew();
            var end = Given(nameof(Duration)) ? Duration : TimeSpan.MaxValue;
            bool reset = Given(nameof(Interval)) && !Cumulative;
            ulong reported = 0;
            for (int written = 1; ; written++)
            {
                var next = Given(nameof(Interval)) ? Min(Interval * written, end) : end;
                if (!DeadlineWait.WaitUntil(_cancel.Token, () => clock.Elapsed, next, () => { if (end != TimeSpan.MaxValue) Progress(clock.Elapsed, end); }))
                    return;
                var measurements = reader.Read(reset);
                // Told before the results it concerns, so that a pipeline that stops after them (Select-Object
                // -First) has seen it; once per interval that lost more.
                if (reader.Overflow is var overflow && overflow > reported)
                {
                    WriteWarning($"{overflow - reported} events were not counted{(Given(nameof(Interval)) ? " in this interval" : "")}: their keys did not fit, as {MaxKeys} keys were taken. Give a larger -MaxKeys, or count by fewer keys or with filters.");
                    reported = overflow;
                }
                foreach (var measurement in measurements.OrderByDescending(m => m.Count).ThenBy(m => m.Key, StringComparer.Ordinal))
                    WriteObject(ToPSObject(measurement, plan));
                if (next >= end || (Count > 0 && written >= Count)) break;
            }
            if (end != TimeSpan.MaxValue) WriteProgress(new ProgressRecord(1, "Measuring", "Done") { RecordType = ProgressRecordType.Completed });
        }

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        private void Progress(TimeSpan elapsed, TimeSpan end) =>
            WriteProgress(new ProgressRecord(1, "Measuring", $"{Math.Max(0, (int)(end - elapsed).TotalSeconds)} s left")
            {
                PercentComplete = (int)Math.Clamp(100 * elapsed.Ticks / end.Ticks, 0, 100),
            });

        /// <summary>The keys and the one value asked for, as the event source names them.</summary>
        private AggregationPlan Plan(Func<string, AggregateField> key, Func<string, AggregateField> valueNamed)
        {
            var keys = By.Select(key).ToList();
            var values = new[] { Sum, Average, Minimum, Maximum, Histogram }.OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (values.Count > 1)
                ThrowTerminatingError(BpfErrors.InvalidParameter(BpfErrorIds.MeasureValueAmbiguous,
                    $"-Sum, -Average, -Minimum, -Maximum and -Histogram name {values.Count} values ({string.Join(", ", values)}); one value is measured at a time.",
                    "Name the same value in each (its Sum, Minimum, Maximum and Average all come with any of them), or run one Measure-BpfTrace per value.", values));
            var value = values.Count == 1 ? valueNamed(values[0]) : null;
            if (Linear is not null && Histogram is null)
                ThrowTerminatingError(BpfErrors.InvalidParameter(BpfErrorIds.InvalidLinearBuckets,
                    "-Linear gives the buckets of a histogram, but no -Histogram names its value.", "Add -Histogram with the value, e.g. -Histogram Duration -Linear 0,100000,10000.", Linear));
            var histogram = Histogram is null ? HistogramKind.None : Linear is null ? HistogramKind.PowerOfTwo : HistogramKind.Linear;
            return Linear is { } linear
                ? new AggregationPlan(keys, value, histogram, linear[0], linear[1], linear[2], MaxKeys)
                : new AggregationPlan(keys, value, histogram, maxKeys: MaxKeys);
        }

        /// <summary>Each key part becomes a property of its own (ProcessId, Command...), so that the results sort,
        /// group and export by it; a part named like a property of the measurement (count) gets "Key" appended.</summary>
        private static PSObject ToPSObject(BpfMeasurement measurement, AggregationPlan plan)
        {
            var result = PSObject.AsPSObject(measurement);
            foreach (var (name, value) in measurement.KeyParts)
                result.Properties.Add(new PSNoteProperty(result.Properties[name] is null ? name : name + "Key", value));
            if (plan.Histogram != HistogramKind.None) result.TypeNames.Insert(0, "EbpfPS.BpfMeasurement#Histogram");
            else if (plan.Value is null) result.TypeNames.Insert(0, "EbpfPS.BpfMeasurement#Count");
            return result;
        }

        protected override void StopProcessing() => _cancel.Cancel();

        public void Dispose()
        {
            _cancel.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
