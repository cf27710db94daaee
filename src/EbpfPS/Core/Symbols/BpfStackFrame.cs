using System.Globalization;

namespace EbpfPS
{
    /// <summary>Where a stack frame's code is: the kernel (or a kernel module, or a BPF program), a user-space program or
    /// library, or code a JIT compiled at run time (named by the process's /tmp/perf-PID.map).</summary>
    public enum BpfStackFrameKind
    {
        Kernel,
        User,
        Jit,
    }

    /// <summary>One frame of a kernel or user stack, symbolized: the address, the function it is in and how far into it,
    /// and the module (kernel, a module's name, a file's path).</summary>
    public sealed class BpfStackFrame
    {
        public ulong Address { get; set; }
        /// <summary>The function's name; empty where no symbol covers the address (a stripped file, [vdso], a JIT
        /// without a perf map).</summary>
        public string Symbol { get; set; } = "";
        /// <summary>Bytes from the function's start to the address.</summary>
        public ulong Offset { get; set; }
        /// <summary>"kernel", a kernel module's name (xfs), "bpf" for BPF programs; a user frame's file
        /// (/usr/lib/x86_64-linux-gnu/libc.so.6), [vdso], or the perf map a JIT frame was named by; empty when unknown.</summary>
        public string Module { get; set; } = "";
        public BpfStackFrameKind Kind { get; set; }
        /// <summary>Where in its file (Module) a user frame is, as the kernel recorded it with the file's build id; the
        /// place a frame keeps once its process has exited (Address is 0 then). Empty for kernel frames and for user frames
        /// the kernel took by address.</summary>
        public ulong? FileOffset { get; set; }

        /// <summary>How perf and bpftrace print a frame: do_sys_openat2+0x5f [kernel], main+0x1a (/usr/bin/x).</summary>
        public override string ToString()
        {
            string where = Symbol.Length > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Symbol}+0x{Offset:x}")
                : Address == 0 && FileOffset is { } inFile ? string.Create(CultureInfo.InvariantCulture, $"+0x{inFile:x}")
                : string.Create(CultureInfo.InvariantCulture, $"0x{Address:x}");
            if (Module.Length == 0) return where;
            return Kind == BpfStackFrameKind.Kernel ? $"{where} [{Module}]" : $"{where} ({Module})";
        }

        /// <summary>The frame in a folded stack (flamegraph.pl's input): the function, or the file's name in brackets, or
        /// [unknown]; kernel frames marked _[k] and JIT frames _[j], as flamegraph.pl colours them. No ';', which
        /// separates frames.</summary>
        internal string FoldedName
        {
            get
            {
                string name = Symbol.Length > 0 ? Symbol
                    : Module.Length > 0 && Kind != BpfStackFrameKind.Jit ? $"[{System.IO.Path.GetFileName(Module)}]"
                    : "[unknown]";
                name = name.Replace(';', ':').Replace('\n', ' ');
                return Kind switch
                {
                    BpfStackFrameKind.Kernel => name + "_[k]",
                    BpfStackFrameKind.Jit => name + "_[j]",
                    _ => name,
                };
            }
        }
    }
}
