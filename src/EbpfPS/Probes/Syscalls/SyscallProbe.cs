using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Runtime.InteropServices;
using EbpfPS.Core;
using EbpfPS.Interop;

namespace EbpfPS.Probes.Syscalls
{
    /// <summary>bpf/syscall.bpf.c on the enter and exit tracepoints of the chosen syscalls.</summary>
    internal sealed unsafe class SyscallProbe : RingBufferProbe<BpfSyscallEvent>
    {
        private readonly Dictionary<int, Syscall> _byEnterId;

        internal SyscallProbe(IReadOnlyList<Syscall> syscalls, IReadOnlyCollection<int> processIds,
            EventDelivery? delivery = null)
            : base("syscall",
                beforeLoad: obj => obj.SetGlobal("filter_pids", processIds.Count > 0),
                afterLoad: obj =>
                {
                    FillPidSet(obj, "pids", processIds);
                    var specs = obj.Map("syscalls");
                    foreach (var s in syscalls)
                        specs.Update((uint)s.Enter.Id, new SyscallSpec { ArgCount = (uint)s.Arguments.Count, StringArg = s.StringArgument });
                },
                attach: obj =>
                {
                    var enter = obj.Program("ebpfps_sys_enter");
                    var exit = obj.Program("ebpfps_sys_exit");
                    foreach (var s in syscalls)
                    {
                        obj.AttachTracepoint(enter, "syscalls", s.Enter.Name, cookie: (ulong)s.Enter.Id);
                        obj.AttachTracepoint(exit, "syscalls", s.Exit.Name);
                    }
                },
                delivery: delivery)
        {
            _byEnterId = syscalls.ToDictionary(s => s.Enter.Id);
        }

        protected override void OnRecord(ReadOnlySpan<byte> record, List<BpfSyscallEvent> ready)
        {
            // The kernel sends the string's bytes only (bpf/syscall.bpf.c): the rest of the record stays zero.
            SyscallRecord r = default;
            record[..Math.Min(record.Length, sizeof(SyscallRecord))].CopyTo(new Span<byte>(&r, sizeof(SyscallRecord)));
            if (!_byEnterId.TryGetValue((int)r.EnterId, out var syscall)) return;
            int count = syscall.Arguments.Count;
            var arguments = new OrderedDictionary(count);
            string argumentText = "";
            if (count > 0)
            {
                var text = new string[count];
                for (int i = 0; i < count; i++)
                {
                    var field = syscall.Arguments[i];
                    object value;
                    if (i == syscall.StringArgument && r.StringLen > 0)
                        value = CStrings.Read(r.String, SyscallRecord.StringLength);
                    else
                        value = Syscall.Value(field, r.Args[i]);
                    arguments.Add(field.Name, value);
                    text[i] = Syscall.Text(field, value);
                }
                argumentText = string.Join(", ", text);
            }
            string command = Comms.Get(new ReadOnlySpan<byte>(r.Comm, SyscallRecord.CommLength));
            ready.Add(new BpfSyscallEvent(arguments)
            {
                Timestamp = Clock.ToDateTime(r.EnterNs),
                Syscall = syscall.Name,
                ProcessId = (int)r.Pid,
                ThreadId = (int)r.Tid,
                Command = command,
                Cpu = (int)r.Cpu,
                ArgumentText = argumentText,
                ReturnValue = r.Ret,
                ErrorName = r.Ret < 0 && r.Ret >= -4095 ? Errno.Name((int)-r.Ret) : "",
                Duration = TimeSpan.FromTicks((long)(r.ExitNs - r.EnterNs) / 100),
            });
        }
    }
}
