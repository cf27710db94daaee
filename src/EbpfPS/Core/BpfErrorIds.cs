using System.Text.RegularExpressions;

namespace EbpfPS.Core
{
    /// <summary>Every error id the module raises: the part of an ErrorRecord's FullyQualifiedErrorId before the comma,
    /// a public contract that scripts catch and the help documents, so each is written once, here, and renamed never.</summary>
    /// <remarks>
    /// Naming rule: PascalCase words, the subject and then what is wrong with it — BpfMapNotFound, XdpLockUnsafe,
    /// CgroupNotV2. A value the user typed that does not parse may name the problem first, as Invalid&lt;Thing&gt; or
    /// Unknown&lt;Thing&gt; (InvalidDuration, UnknownSignal). The subject starts with Bpf where it would be vague
    /// without (BpfMap, BpfObject, BpfPermissionDenied). No cmdlet name: PowerShell appends it after the comma.
    /// <see cref="Rule"/> is the rule as a test checks it; a new kind of problem adds its word there.
    /// Each id is nameof itself, so the name a caller writes is the id a user sees.
    /// </remarks>
    internal static class BpfErrorIds
    {
        private const string Word = "[A-Z][a-z0-9]*";

        /// <summary>The naming rule; also what the help test takes for an id when it reads the help.</summary>
        internal static readonly Regex Rule = new(
            $"^(?:Bpf)?(?:Invalid|Unknown)(?:{Word})+$" +
            $"|^(?:{Word})+?(?:(?:Not|Without|Too|Is)(?:{Word})+|Denied|Missing|Unavailable|Rejected|Failed|ReadOnly|Exists|Exceeded" +
            "|Invalid|Ambiguous|Twice|Required|Busy|Unsafe|Reached|Detached|Mismatch|Ended|Expected)$");

        // The id of each BpfErrorKind (BpfErrors.ErrorId), where the engine names nothing more specific.
        /// <summary>Not root, and the capabilities BPF needs (CAP_BPF with CAP_PERFMON or CAP_NET_ADMIN) are missing.</summary>
        internal const string BpfPermissionDenied = nameof(BpfPermissionDenied);
        /// <summary>libbpf.so.1 could not be loaded.</summary>
        internal const string LibbpfNotFound = nameof(LibbpfNotFound);
        /// <summary>libbpf is older than 1.0.</summary>
        internal const string LibbpfTooOld = nameof(LibbpfTooOld);
        /// <summary>The kernel's BTF (/sys/kernel/btf/vmlinux) is missing or cannot be read.</summary>
        internal const string KernelBtfMissing = nameof(KernelBtfMissing);
        /// <summary>tracefs is not mounted and could not be mounted, or its files cannot be opened.</summary>
        internal const string TraceFsUnavailable = nameof(TraceFsUnavailable);
        /// <summary>bpffs is not mounted and could not be mounted, or pinning on it failed.</summary>
        internal const string BpfFsUnavailable = nameof(BpfFsUnavailable);
        /// <summary>The kernel's verifier refused a program; its log is in ErrorDetails.</summary>
        internal const string BpfVerifierRejected = nameof(BpfVerifierRejected);
        /// <summary>libbpf or the kernel refused to open or load an object, or to set up its buffers.</summary>
        internal const string BpfLoadFailed = nameof(BpfLoadFailed);
        /// <summary>Attaching or detaching a program (or an XDP filter) failed.</summary>
        internal const string BpfAttachFailed = nameof(BpfAttachFailed);
        /// <summary>The kernel lacks a feature the command needs; the message names it.</summary>
        internal const string BpfFeatureNotSupported = nameof(BpfFeatureNotSupported);
        /// <summary>A value that cannot be used, where no id below says more (e.g. more than 64 process ids).</summary>
        internal const string BpfInvalidArgument = nameof(BpfInvalidArgument);
        /// <summary>Something named does not exist, where no id below says more.</summary>
        internal const string BpfObjectNotFound = nameof(BpfObjectNotFound);
        /// <summary>Reading from the kernel failed: a map, trace_pipe, a buffer, a list of objects.</summary>
        internal const string BpfReadFailed = nameof(BpfReadFailed);
        /// <summary>Writing or removing a map entry failed.</summary>
        internal const string BpfWriteFailed = nameof(BpfWriteFailed);
        /// <summary>The map is frozen or read-only for user space, so its entries cannot change.</summary>
        internal const string BpfMapReadOnly = nameof(BpfMapReadOnly);
        /// <summary>The map is a ring buffer or perf event array: records to consume, not entries to read.</summary>
        internal const string BpfMapIsStream = nameof(BpfMapIsStream);
        /// <summary>The map's entries cannot be listed from user space (bloom filter, local storage...).</summary>
        internal const string BpfMapNotIterable = nameof(BpfMapNotIterable);
        /// <summary>Something is already there, where no id below says more.</summary>
        internal const string BpfObjectExists = nameof(BpfObjectExists);
        /// <summary>A fixed capacity is used up, where no id below says more.</summary>
        internal const string BpfLimitExceeded = nameof(BpfLimitExceeded);

        // Parameters a cmdlet checks itself (BpfErrors.InvalidParameter).
        /// <summary>-Duration is not positive.</summary>
        internal const string InvalidDuration = nameof(InvalidDuration);
        /// <summary>-BufferSize is not a power of two from 4KB to 1GB.</summary>
        internal const string InvalidBufferSize = nameof(InvalidBufferSize);
        /// <summary>Get-BpfSignalEvent -Signal names no Linux signal.</summary>
        internal const string UnknownSignal = nameof(UnknownSignal);
        /// <summary>Get-BpfFeature -Name matches no feature.</summary>
        internal const string BpfFeatureNotFound = nameof(BpfFeatureNotFound);
        /// <summary>-Trace of a map cmdlet is not a running trace.</summary>
        internal const string BpfTraceExpected = nameof(BpfTraceExpected);
        /// <summary>Remove-BpfMapEntry got neither or both of -Key and -All.</summary>
        internal const string BpfKeyOrAllExpected = nameof(BpfKeyOrAllExpected);

        // What to trace, and the in-kernel filters.
        /// <summary>No tracepoint matches the name.</summary>
        internal const string TracepointNotFound = nameof(TracepointNotFound);
        /// <summary>A tracepoint name is not of the form CATEGORY:NAME.</summary>
        internal const string InvalidTracepointName = nameof(InvalidTracepointName);
        /// <summary>No syscall matches -Syscall.</summary>
        internal const string SyscallNotFound = nameof(SyscallNotFound);
        /// <summary>-ArgumentType declares a type that cannot be read, or too many.</summary>
        internal const string UserFunctionArgumentTypeInvalid = nameof(UserFunctionArgumentTypeInvalid);
        /// <summary>-UserFunction is not FILE:FUNCTION.</summary>
        internal const string UserFunctionInvalid = nameof(UserFunctionInvalid);
        /// <summary>The program or library of a user function was not found (path, library directories, the process's maps).</summary>
        internal const string UserBinaryNotFound = nameof(UserBinaryNotFound);
        /// <summary>The file of a user function is not a 64-bit ELF file.</summary>
        internal const string UserBinaryNotElf = nameof(UserBinaryNotElf);
        /// <summary>The file has no function of that name (or it is stripped and does not export it).</summary>
        internal const string UserFunctionNotFound = nameof(UserFunctionNotFound);
        /// <summary>A user function's pattern matches more functions than a trace takes.</summary>
        internal const string UserFunctionsTooMany = nameof(UserFunctionsTooMany);
        /// <summary>The kernel has no function of that name.</summary>
        internal const string KernelFunctionNotFound = nameof(KernelFunctionNotFound);
        /// <summary>The kernel can hook no function, or not with the -Method asked for, or not this one (no BTF prototype).</summary>
        internal const string KernelFunctionTracingNotSupported = nameof(KernelFunctionTracingNotSupported);
        /// <summary>-Command is neither a name nor a prefix with one * at the end.</summary>
        internal const string InvalidCommandPattern = nameof(InvalidCommandPattern);
        /// <summary>-IncludeChildren without -ProcessId.</summary>
        internal const string IncludeChildrenWithoutProcessId = nameof(IncludeChildrenWithoutProcessId);
        /// <summary>-Cgroup is relative and no cgroup v2 file system is mounted.</summary>
        internal const string CgroupV2NotMounted = nameof(CgroupV2NotMounted);
        /// <summary>-Cgroup names no existing directory.</summary>
        internal const string CgroupNotFound = nameof(CgroupNotFound);
        /// <summary>-Cgroup names a file, not a directory.</summary>
        internal const string CgroupNotADirectory = nameof(CgroupNotADirectory);
        /// <summary>-Cgroup is a directory outside every cgroup v2 mount.</summary>
        internal const string CgroupNotV2 = nameof(CgroupNotV2);

        // The user's own object (Start-BpfTrace -Path).
        /// <summary>The object file does not exist.</summary>
        internal const string BpfObjectFileNotFound = nameof(BpfObjectFileNotFound);
        /// <summary>The path is a directory, FIFO, device or socket rather than a file.</summary>
        internal const string BpfObjectNotAFile = nameof(BpfObjectNotAFile);
        /// <summary>The file is larger than a BPF object may be here (64 MB).</summary>
        internal const string BpfObjectTooLarge = nameof(BpfObjectTooLarge);
        /// <summary>The file is empty, not ELF, or libbpf cannot parse it as a BPF object.</summary>
        internal const string BpfObjectInvalid = nameof(BpfObjectInvalid);
        /// <summary>-Set names no read-only (const volatile) global of the object.</summary>
        internal const string BpfGlobalNotFound = nameof(BpfGlobalNotFound);
        /// <summary>-Set gives a global $null or a value that does not fit its C type.</summary>
        internal const string BpfGlobalValueInvalid = nameof(BpfGlobalValueInvalid);
        /// <summary>-ProcessId with an object that declares no process id global.</summary>
        internal const string ProcessIdGlobalNotFound = nameof(ProcessIdGlobalNotFound);
        /// <summary>-ProcessId and -Set both give the process id global.</summary>
        internal const string ProcessIdGlobalSetTwice = nameof(ProcessIdGlobalSetTwice);
        /// <summary>-ProcessId with -Path gives more than one id.</summary>
        internal const string ProcessIdNotSingle = nameof(ProcessIdNotSingle);
        /// <summary>-EventType names no struct of the object's BTF.</summary>
        internal const string BpfEventTypeNotFound = nameof(BpfEventTypeNotFound);
        /// <summary>A trace's maps are read after the trace ended.</summary>
        internal const string TraceEnded = nameof(TraceEnded);

        // Programs, maps, links and pins of the kernel.
        /// <summary>No program has that id or name.</summary>
        internal const string BpfProgramNotFound = nameof(BpfProgramNotFound);
        /// <summary>No map has that id or name, or none matches the parameters.</summary>
        internal const string BpfMapNotFound = nameof(BpfMapNotFound);
        /// <summary>No link has that id.</summary>
        internal const string BpfLinkNotFound = nameof(BpfLinkNotFound);
        /// <summary>Nothing is pinned at the path.</summary>
        internal const string BpfPinNotFound = nameof(BpfPinNotFound);
        /// <summary>The path is not a regular file on a bpffs, so nothing can be pinned there.</summary>
        internal const string BpfPathNotPinned = nameof(BpfPathNotPinned);
        /// <summary>A command that changes one map was given several.</summary>
        internal const string BpfMapAmbiguous = nameof(BpfMapAmbiguous);
        /// <summary>The map has no entry with that key.</summary>
        internal const string BpfMapKeyNotFound = nameof(BpfMapKeyNotFound);
        /// <summary>The key is missing, does not fit the map's key type, or is beyond an array's end.</summary>
        internal const string BpfMapKeyInvalid = nameof(BpfMapKeyInvalid);
        /// <summary>The value is missing, does not fit the map's value type, or has the wrong number of per-CPU values.</summary>
        internal const string BpfMapValueInvalid = nameof(BpfMapValueInvalid);

        // XDP filters.
        /// <summary>No network interface of that name in this network namespace.</summary>
        internal const string InterfaceNotFound = nameof(InterfaceNotFound);
        /// <summary>-Protocol is neither a known name nor a number from 0 to 255.</summary>
        internal const string InvalidProtocol = nameof(InvalidProtocol);
        /// <summary>An address or CIDR prefix does not parse, or has host bits set.</summary>
        internal const string InvalidAddressPrefix = nameof(InvalidAddressPrefix);
        /// <summary>A port is not a number from 0 to 65535.</summary>
        internal const string InvalidPort = nameof(InvalidPort);
        /// <summary>A port without -Protocol Tcp or Udp.</summary>
        internal const string PortWithoutTcpOrUdp = nameof(PortWithoutTcpOrUdp);
        /// <summary>Source and destination, or protocol and address, are of different IP versions.</summary>
        internal const string AddressFamilyMismatch = nameof(AddressFamilyMismatch);
        /// <summary>The interface has no EbpfPS XDP filter.</summary>
        internal const string XdpFilterNotFound = nameof(XdpFilterNotFound);
        /// <summary>The pinned filter is no longer attached to the interface of that name.</summary>
        internal const string XdpFilterDetached = nameof(XdpFilterDetached);
        /// <summary>Another process has held the lock of XDP filter changes too long.</summary>
        internal const string XdpFilterBusy = nameof(XdpFilterBusy);
        /// <summary>The lock of XDP filter changes, or the directory of the lock or of the pins, is a link or another user's to change.</summary>
        internal const string XdpLockUnsafe = nameof(XdpLockUnsafe);
        /// <summary>The interface has an XDP program EbpfPS did not attach (without -Force).</summary>
        internal const string XdpProgramExists = nameof(XdpProgramExists);
        /// <summary>-Mode Native on an interface whose driver refuses native XDP.</summary>
        internal const string XdpNativeModeNotSupported = nameof(XdpNativeModeNotSupported);
        /// <summary>A rule already matches exactly these packets.</summary>
        internal const string XdpRuleExists = nameof(XdpRuleExists);
        /// <summary>The filter holds as many rules as it can.</summary>
        internal const string XdpRuleLimitReached = nameof(XdpRuleLimitReached);
        /// <summary>The filter has no rule of that id.</summary>
        internal const string XdpRuleNotFound = nameof(XdpRuleNotFound);
        /// <summary>A change that could cut off this SSH session needs confirmation, and PowerShell cannot ask.</summary>
        internal const string XdpConfirmationRequired = nameof(XdpConfirmationRequired);

        // Programs of a user's object attached to a target (-Cgroup, -Interface), for a trace or registered
        /// <summary>A program attaches to a target that was not given: a cgroup program without -Cgroup, XDP or tc without -Interface.</summary>
        internal const string BpfAttachTargetMissing = nameof(BpfAttachTargetMissing);
        /// <summary>A tc program whose section (tc, classifier) does not say ingress or egress.</summary>
        internal const string TcDirectionMissing = nameof(TcDirectionMissing);
        /// <summary>The kernel does not load programs of the object's program type (Get-BpfFeature -Category ProgramType).</summary>
        internal const string BpfProgramTypeNotSupported = nameof(BpfProgramTypeNotSupported);
        /// <summary>An sk_skb program whose section (sk_skb) does not say stream_parser, stream_verdict or verdict.</summary>
        internal const string SocketMapAttachTypeMissing = nameof(SocketMapAttachTypeMissing);
        /// <summary>sk_msg or sk_skb programs and no sockmap or sockhash in the object, or -SocketMap names none of them.</summary>
        internal const string SocketMapNotFound = nameof(SocketMapNotFound);
        /// <summary>sk_msg or sk_skb programs, several socket maps in the object, and no -SocketMap to say which.</summary>
        internal const string SocketMapAmbiguous = nameof(SocketMapAmbiguous);
        /// <summary>A map the object shares by name (LIBBPF_PIN_BY_NAME) is pinned already with another type, size or flags.</summary>
        internal const string BpfPinnedMapMismatch = nameof(BpfPinnedMapMismatch);
        /// <summary>-Name of a registration is empty, too long, or has characters other than letters, digits, '_', '-' and '.'.</summary>
        internal const string InvalidRegistrationName = nameof(InvalidRegistrationName);
        /// <summary>No registration of that name is pinned.</summary>
        internal const string BpfRegistrationNotFound = nameof(BpfRegistrationNotFound);
        /// <summary>A registration of that name is pinned already.</summary>
        internal const string BpfRegistrationExists = nameof(BpfRegistrationExists);
        /// <summary>Another process has held the lock of registration changes too long.</summary>
        internal const string BpfRegistrationBusy = nameof(BpfRegistrationBusy);
        /// <summary>A registration's record of an attachment that is no link cannot be read (another version's, or changed).</summary>
        internal const string BpfRegistrationRecordInvalid = nameof(BpfRegistrationRecordInvalid);
        /// <summary>A registration's tc filter is on an interface of another network namespace than the unregistering process's.</summary>
        internal const string BpfRegistrationNamespaceMismatch = nameof(BpfRegistrationNamespaceMismatch);

        // Measure-BpfTrace
        /// <summary>Neither -Duration nor -Interval: Ctrl-C stops the whole pipeline, so no totals could be written.</summary>
        internal const string MeasureDurationRequired = nameof(MeasureDurationRequired);
        /// <summary>More keys in -By than the kernel's key holds.</summary>
        internal const string MeasureKeysTooMany = nameof(MeasureKeysTooMany);
        /// <summary>-Sum, -Average, -Minimum, -Maximum and -Histogram name different values; one is measured.</summary>
        internal const string MeasureValueAmbiguous = nameof(MeasureValueAmbiguous);
        /// <summary>A -By key or a measured value that the event source does not have.</summary>
        internal const string UnknownMeasureField = nameof(UnknownMeasureField);
        /// <summary>-Linear's minimum, maximum and step do not make 1 to 1000 buckets.</summary>
        internal const string InvalidLinearBuckets = nameof(InvalidLinearBuckets);

        // Get-BpfCpuProfile and Export-BpfFlameGraph
        /// <summary>-Frequency is above what the kernel samples at (kernel.perf_event_max_sample_rate).</summary>
        internal const string InvalidFrequency = nameof(InvalidFrequency);
        /// <summary>-Cpu names a CPU that is not online.</summary>
        internal const string UnknownCpu = nameof(UnknownCpu);
        /// <summary>perf_event_open refused the CPU clock event the profiler samples on.</summary>
        internal const string PerfEventFailed = nameof(PerfEventFailed);
        /// <summary>perf_event_open refused for want of privileges (CAP_PERFMON, kernel.perf_event_paranoid).</summary>
        internal const string PerfEventDenied = nameof(PerfEventDenied);
        /// <summary>Export-BpfFlameGraph -NoClobber, and the file is there.</summary>
        internal const string FlameGraphFileExists = nameof(FlameGraphFileExists);
        /// <summary>Export-BpfFlameGraph got no profile samples from the pipeline.</summary>
        internal const string FlameGraphSamplesMissing = nameof(FlameGraphSamplesMissing);
        /// <summary>Export-BpfFlameGraph: no -Format, and the file's extension names none (.svg, .folded, .txt, .json).</summary>
        internal const string UnknownFlameGraphFormat = nameof(UnknownFlameGraphFormat);
    }
}
