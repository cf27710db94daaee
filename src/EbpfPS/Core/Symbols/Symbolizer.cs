using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace EbpfPS.Core.Symbols
{
    /// <summary>A frame of a user stack as the kernel took it: by its file's build id and the offset into the file
    /// (<see cref="Value"/>), or, where the kernel could not tell the file, by address (BuildId null).</summary>
    internal readonly record struct UserStackEntry(string? BuildId, ulong Value);

    /// <summary>Names the addresses of stacks: kernel ones from kallsyms, user ones through the ELF symbols of the files
    /// they are in (found by build id, or through the process's mappings), JIT-compiled code from /tmp/perf-PID.map.
    /// What it reads is kept: kallsyms once, each file's symbols once (by device and inode, whatever process maps it,
    /// or by build id), each process's mappings and perf
    /// map until an address is not found in them (read again then, at most once a second: a library was loaded, a
    /// method compiled). Callers keep the frames of each unique stack, so nothing here runs per event.</summary>
    internal sealed class Symbolizer
    {
        private static readonly TimeSpan RereadAfter = TimeSpan.FromSeconds(1);

        private readonly Func<KernelSymbols> _loadKernel;
        private KernelSymbols? _kernel;
        private readonly Dictionary<(string Device, ulong Inode), ElfSymbols?> _files = new();
        private readonly Dictionary<int, ProcessSymbols> _processes = new();
        private readonly BuildIdIndex _buildIds = new();
        private readonly Dictionary<string, ElfSymbols?> _byBuildId = new(StringComparer.Ordinal);

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

        /// <summary>A user stack of process PID as the kernel took it (bpf/stacks.h's user_stacks), innermost frame first:
        /// frames by build id and file offset, so that they are named whether the process still runs or not, and by
        /// address where the kernel could not tell the file. <paramref name="command"/>, the thread's name, helps find
        /// the program of a process that has exited.</summary>
        internal BpfStackFrame[] UserStack(int pid, IReadOnlyList<UserStackEntry> entries, string? command = null)
        {
            var frames = new BpfStackFrame[entries.Count];
            for (int i = 0; i < entries.Count; i++)
                frames[i] = entries[i].BuildId is { } buildId
                    ? BuildIdFrame(pid, buildId, entries[i].Value, isReturnAddress: i > 0, command)
                    : UserFrame(pid, entries[i].Value, isReturnAddress: i > 0);
            return frames;
        }

        /// <summary>A frame known by its file's build id and the offset into that file.</summary>
        internal BpfStackFrame BuildIdFrame(int pid, string buildId, ulong fileOffset, bool isReturnAddress = false, string? command = null)
        {
            ulong lookup = LookupAddress(fileOffset, isReturnAddress);
            var file = _buildIds.Find(buildId, pid, Process(pid).Mappings, command);
            var frame = new BpfStackFrame
            {
                Kind = BpfStackFrameKind.User, Module = file?.Path ?? "", FileOffset = fileOffset, Address = AddressInProcess(pid, buildId, fileOffset) ?? 0,
            };
            if (file is not null && BuildIdSymbols(buildId, file) is { } elf
                && elf.AddressOfFileOffset(lookup) is { } inFile && elf.FunctionAt(inFile) is var (function, offset))
            {
                frame.Symbol = function.Name;
                frame.Offset = offset + (fileOffset - lookup);
            }
            return frame;
        }

        private ElfSymbols? BuildIdSymbols(string buildId, BuildIdFile file)
        {
            if (!_byBuildId.TryGetValue(buildId, out var symbols)) _byBuildId[buildId] = symbols = Read(file.ReadPaths);
            return symbols;
        }

        /// <summary>Where the file offset is in the process, while its mappings can be read.</summary>
        private ulong? AddressInProcess(int pid, string buildId, ulong fileOffset)
        {
            foreach (var mapping in Process(pid).Mappings.All)
                if (mapping.IsFile && fileOffset >= mapping.Offset && fileOffset - mapping.Offset < mapping.End - mapping.Start
                    && _buildIds.Of(pid, mapping) == buildId)
                    return mapping.Start + (fileOffset - mapping.Offset);
            return null;
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

        /// <summary>The symbols of a mapped file, read through the process's view of it (<see cref="ProcessMapping.ReadPaths"/>).</summary>
        private ElfSymbols? File(int pid, ProcessMapping mapping)
        {
            var key = (mapping.Device, mapping.Inode);
            if (!_files.TryGetValue(key, out var symbols)) _files[key] = symbols = Read(mapping.ReadPaths(pid));
            return symbols;
        }

        private static ElfSymbols? Read(IEnumerable<string> paths) => paths.Select(ElfSymbols.TryRead).FirstOrDefault(symbols => symbols is not null);

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

            /// <summary>The mappings as first read (none once the process has exited).</summary>
            internal ProcessMappings Mappings
            {
                get
                {
                    if (_mappings is null) _ = Mapping(0);
                    return _mappings!;
                }
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
