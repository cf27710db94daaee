using System.Collections;
using System.Linq;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Probes.UserObjects;
using EbpfPS.Registrations;

namespace EbpfPS.Commands
{
    /// <summary>Loads a user's object, attaches its programs (tracing ones where their sections say, cgroup ones to
    /// -Cgroup, XDP and tc ones to -Interface) and pins programs, maps and links under /sys/fs/bpf/ebpfps/registered/NAME,
    /// so that they keep working after this process is gone.</summary>
    [Cmdlet(VerbsLifecycle.Register, "BpfProgram", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(BpfRegistration))]
    public sealed class RegisterBpfProgramCommand : BpfRegistrationCommand
    {
        /// <summary>The compiled object (clang -g -O2 -target bpf).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>The registration's name: the directory of its pins. By default the object's file name without .bpf.o.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>The cgroup v2 directory the object's cgroup programs attach to.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CgroupCompleter))]
        public string? Cgroup { get; set; }

        /// <summary>The network interface the object's XDP and tc programs attach to.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(InterfaceCompleter))]
        public string? Interface { get; set; }

        /// <summary>Which traffic of -Interface the object's tc programs filter when their section does not say
        /// (SEC("tc"), SEC("classifier")); sections tc/ingress and tc/egress say it themselves.</summary>
        [Parameter]
        public BpfTcDirection Direction { get; set; }

        private BpfTcDirection? GivenDirection => MyInvocation.BoundParameters.ContainsKey(nameof(Direction)) ? Direction : null;
        private int? GivenFrequency => MyInvocation.BoundParameters.ContainsKey(nameof(Frequency)) ? Frequency : null;

        /// <summary>The sockmap or sockhash of the object that its sk_msg and sk_skb programs attach to; needed only when
        /// the object has several.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SocketMap { get; set; }
        /// <summary>Samples a second of the CPU clock events the object's perf_event programs are attached to, on each CPU.</summary>
        [Parameter]
        [ValidateRange(1, 1_000_000)]
        public int Frequency { get; set; } = CpuClockEvents.DefaultFrequency;

        /// <summary>The CPUs whose clock events the object's perf_event programs sample (default: every online one).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateRange(0, 8191)]
        public int[]? Cpu { get; set; }

        /// <summary>Values for the object's `const volatile` globals, by name, set before load.</summary>
        [Parameter]
        public Hashtable? Set { get; set; }

        protected override void ProcessRecord()
        {
            string path = GetUnresolvedProviderPathFromPSPath(Path);
            string name = Name ?? UserObjectFile.NameOf(path);
            try
            {
                RegistrationPins.DemandValidName(name);
                using var targets = AttachTargets.Resolve(Cgroup, Interface, SocketMap, GivenDirection, GivenFrequency, Cpu);
                var places = new[] { targets.CgroupPath, targets.Interface }.OfType<string>().ToList();
                string to = places.Count > 0 ? $" to {string.Join(" and ", places)}" : "";
                if (!ShouldProcess(name, $"Load {path}, attach its programs{to} and pin them under {RegistrationPins.Directory(name)}")) return;
                using (RegistrationPins.Lock())
                {
                    Registration.Create(name, path, PSValues.Globals(Set), targets, WriteWarning);
                    WriteObject(Registration.Describe(name));
                }
            }
            catch (BpfException e) { Fail(e, name); }
        }
    }
}
