using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace EbpfPS.Core.Symbols
{
    /// <summary>Names the addresses of stacks: kernel ones from kallsyms, user ones through the process's mappings and
    /// the ELF symbols of the mapped files, JIT-compiled code from /tmp/perf-PID.map. What it reads is kept: kallsyms
    /// once, each file's symbols once (by device and inode, whatever process maps it), each process's mappings and perf
    /// map until an address is not found in them (read again then, at most once a second: a library was loaded, a
    /// method compiled). Callers keep the frames of each unique stack, so nothing here runs per event.</summary>
    internal sealed class Symbolizer
    {
        private static readonly TimeSpan RereadAfter = TimeSpan.FromSeconds(1);

        private readonly Func<KernelSymbols> _loadKernel;
        private KernelSymbols? _kernel;
        private readonly Dictionary<(string Device, ulong Inode), ElfSymbols?> _files = new();
        private readonly Dictionary<int, ProcessSymbols> _processes = new();

        internal Symbolizer(Func<KernelSymbols>? loadKernel = null) => _loadKernel = loadKernel ?? (() => KernelSymbols.Load());

        private KernelSymbols Kernel => _kernel ??= _loadKernel();

        /// <summary>Reads kallsyms now, before events come (it takes a while), not at the first kernel stack.</summary>
        internal void LoadKernelSymbols() => _ = Kernel;

        /// <summary>A kernel stack, innermost frame first (as bpf_get_stackid writes it); zero addresses end it. The frames
        /// of the tracing machinery that ran the BPF program (the program itself, bpf_trace_run2, __bpf_trace_sys_exit,
        /// a trampoline) are left out: the stack begins where the traced code was.</summary>
        internal BpfStackFrame[] KernelStack(ReadOnlySpan<ulong> addresses)
        {
            var frames = new List<BpfStackFrame>(addresses.Length);
            for (int i = 0; i < addresses.Length && addresses[i] != 0; i++)
                frames.Add(KernelFrame(addresses[i], isReturnAddress: i > 0));
            int machinery = frames.FindIndex(frame => !IsTracingMachinery(frame));
            return (machinery > 0 ? frames.GetRange(machinery, frames.Count - machinery) : frames).ToArray();
        }

        /// <summary>Functions through which the kernel runs a BPF program at a tracepoint, a raw tracepoint, a kprobe or a
        /// trampoline, found at the innermost end of the stacks such programs take.</summary>
        private static readonly string[] TracingMachinery =
        {
            "bpf_prog_", "bpf_trampoline_", "bpf_trace_run", "__bpf_trace_", "__traceiter_", "trace_call_bpf",
            "perf_trace_", "perf_syscall_", "kprobe_perf_func", "kprobe_dispatcher", "kprobe_ftrace_handler",
        };

        internal static bool IsTracingMachinery(BpfStackFrame frame) =>
            frame.Module == "bpf" || Array.Exists(TracingMachinery, prefix => frame.Symbol.StartsWith(prefix, StringComparison.Ordinal));

        /// <summary>A user stack of process PID, innermost frame first; zero addresses end it.</summary>
        internal BpfStackFrame[] UserStack(int pid, ReadOnlySpan<ulong> addresses)
        {
            var frames = new List<BpfStackFrame>(addresses.Length);
            for (int i = 0; i < addresses.Length && addresses[i] != 0; i++)
                frames.Add(UserFrame(pid, addresses[i], isReturnAddress: i > 0));
            return frames.ToArray();
        }

        // A frame below the innermost holds a return address: the instruction after the call, which for a call that
        // ends its function is already the next function's. Its symbol is looked up one byte before (as perf does).
        private static ulong LookupAddress(ulong address, bool isReturnAddress) => isReturnAddress ? address - 1 : address;

        internal BpfStackFrame KernelFrame(ulong address, bool isReturnAddress = false)
        {
            var frame = new BpfStackFrame { Address = address, Kind = BpfStackFrameKind.Kernel, Module = "kernel" };
            if (Kernel.Find(LookupAddress(address, isReturnAddress)) is var (symbol, _))
            {
                frame.Symbol = symbol.Name;
                frame.Offset = address - symbol.Address;
                frame.Module = symbol.Module ?? "kernel";
            }
            return frame;
        }

        internal BpfStackFrame UserFrame(int pid, ulong address, bool isReturnAddress = false)
        {
            ulong lookup = LookupAddress(address, isReturnAddress);
            var process = Process(pid);
            var mapping = process.Mapping(lookup);
            var frame = new BpfStackFrame { Address = address, Kind = BpfStackFrameKind.User, Module = mapping?.Path ?? "" };
            if (mapping is { IsFile: true } file && File(pid, file) is { } elf)
            {
                if (elf.AddressOfFileOffset(lookup - file.Start + file.Offset) is { } inFile && elf.FunctionAt(inFile) is var (function, offset))
                {
                    frame.Symbol = function.Name;
                    frame.Offset = offset + (address - lookup);
                }
            }
            // anonymous memory, or a file that is no ELF (.NET maps its JIT's code from a memfd): a JIT's perf map
            else if (process.JitMethod(lookup) is var (name, offset, path))
            {
                frame.Kind = BpfStackFrameKind.Jit;
                frame.Symbol = name;
                frame.Offset = offset + (address - lookup);
                frame.Module = path;
            }
            return frame;
        }

        private ProcessSymbols Process(int pid)
        {
            if (!_processes.TryGetValue(pid, out var process))
                _processes[pid] = process = new ProcessSymbols(pid);
            return process;
        }

        /// <summary>The symbols of a mapped file, read through the process's view of it (/proc/PID/map_files: the very
        /// file, even deleted or in another mount namespace), else its root, else the path as it is here.</summary>
        private ElfSymbols? File(int pid, ProcessMapping mapping)
        {
            var key = (mapping.Device, mapping.Inode);
            if (_files.TryGetValue(key, out var known)) return known;
            ElfSymbols? symbols = null;
            foreach (var path in new[] { $"/proc/{pid}/map_files/{mapping.Start:x}-{mapping.End:x}", $"/proc/{pid}/root{mapping.Path}", mapping.Path })
                if ((symbols = ElfSymbols.TryRead(path)) is not null) break;
            return _files[key] = symbols;
        }

        /// <summary>One process's mappings and perf map, read when first needed and again when an address is not in them.</summary>
        private sealed class ProcessSymbols
        {
            private readonly int _pid;
            private ProcessMappings? _mappings;
            private PerfMap? _perfMap;
            private readonly Stopwatch _mappingsAge = new(), _perfMapAge = new();

            internal ProcessSymbols(int pid) => _pid = pid;

            internal ProcessMapping? Mapping(ulong address)
            {
                if (_mappings is null || (_mappings.Find(address) is null && _mappingsAge.Elapsed > RereadAfter))
                {
                    _mappings = ProcessMappings.Read(_pid);
                    _mappingsAge.Restart();
                }
                return _mappings.Find(address);
            }

            internal (string Name, ulong Offset, string Path)? JitMethod(ulong address)
            {
                if (_perfMapAge.IsRunning && _perfMap?.Find(address) is var (name, offset)) return (name, offset, _perfMap.Path);
                if (_perfMapAge.IsRunning && _perfMapAge.Elapsed <= RereadAfter) return null;
                _perfMap = PerfMap.Read(_pid);
                _perfMapAge.Restart();
                return _perfMap?.Find(address) is var (found, at) ? (found, at, _perfMap.Path) : null;
            }
        }
    }
}
