using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using System;
using EbpfPS.Bpf;
using EbpfPS.Core.Objects;
using EbpfPS.Core.Pipeline;
using EbpfPS.Core;
using EbpfPS.Interop;
using EbpfPS.Probes.Aggregation;

namespace EbpfPS.Probes.Exec
{
    /// <summary>bpf/exec.bpf.c: every exec with its argv and result.</summary>
    internal sealed unsafe class ExecProbe : TaskProbe<BpfExecEvent, ExecSkeleton.Open, ExecSkeleton>
    {
        /// <param name="measure">Counts in the kernel as the plan says (Measure-BpfTrace) instead of sending records.</param>
        /// <param name="progress">Cancels before and after load and between attachments.</param>
        internal ExecProbe(TaskFilter filter, EventDelivery? delivery = null, AggregationPlan? measure = null, AttachProgress? progress = null)
            : base(filter, measure, excludeSelf: false, delivery: delivery, progress: progress)
        {
        }

        protected override void OnRecord(ReadOnlySpan<byte> record, List<BpfExecEvent> ready)
        {
            ref readonly var r = ref MemoryMarshal.AsRef<ExecRecord>(record);
            string[] arguments;
            fixed (byte* args = r.Args)
                arguments = SplitArguments(new ReadOnlySpan<byte>(args, (int)Math.Min(r.ArgsSize, ExecRecord.ArgsLength)), (int)r.ArgsCount);
            string filename, command, parentCommand;
            fixed (byte* p = r.Filename) filename = CStrings.Read(p, ExecRecord.FilenameLength);
            fixed (byte* p = r.Comm) command = Comms.Get(new ReadOnlySpan<byte>(p, ExecRecord.CommLength));
            fixed (byte* p = r.ParentComm) parentCommand = Comms.Get(new ReadOnlySpan<byte>(p, ExecRecord.CommLength));
            ready.Add(new BpfExecEvent
            {
                Timestamp = Clock.ToDateTime(r.EnterNs),
                ProcessId = (int)r.Pid,
                ParentProcessId = (int)r.Ppid,
                ParentCommand = parentCommand,
                UserId = (int)r.Uid,
                Command = command,
                Filename = filename,
                Arguments = new BpfCommandLine(arguments),
                CommandLine = string.Join(' ', arguments),
                ArgumentsTruncated = r.Flags.HasFlag(ExecRecordFlags.Truncated),
                ReturnValue = r.Ret,
                ErrorName = r.Ret < 0 ? Errno.Name(-r.Ret) : "",
                Duration = TimeSpan.FromTicks((long)(r.ExitNs - r.EnterNs) / 100),
            });
        }

        /// <summary>NUL-terminated arguments one after another.</summary>
        internal static string[] SplitArguments(ReadOnlySpan<byte> args, int count)
        {
            var result = new List<string>(count);
            while (!args.IsEmpty && result.Count < count)
            {
                int end = args.IndexOf((byte)0);
                var arg = end < 0 ? args : args[..end];
                result.Add(Encoding.UTF8.GetString(arg));
                args = end < 0 ? ReadOnlySpan<byte>.Empty : args[(end + 1)..];
            }
            return result.ToArray();
        }
    }
}
