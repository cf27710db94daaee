using System.Collections.Generic;
using System.Linq;
using EbpfPS.Registrations;

namespace EbpfPS.Introspection
{
    /// <summary>What Get-BpfProgram and Get-BpfLink add from the other objects of the kernel: where each program's
    /// links attach it (and a registered program's attachments that are no links), and the registration whose pins
    /// hold an object.</summary>
    internal static class ProgramAttachments
    {
        /// <summary>Program id -> ATTACHTYPE TARGET of each of its links, from every link in the kernel now.</summary>
        internal static Dictionary<uint, string[]> ByProgram() =>
            LoadedObjects.Links().GroupBy(l => l.ProgramId)
                .ToDictionary(g => g.Key, g => g.Select(l => $"{l.AttachType} {l.Target}".Trim()).Where(t => t.Length > 0).ToArray());

        /// <summary>Where <paramref name="program"/> is attached: its links' targets (<see cref="ByProgram"/>), then what
        /// its registration records of attachments that are no links (a tc filter on clsact, a socket map).</summary>
        internal static string[] Of(BpfProgramInfo program, Dictionary<uint, string[]> byProgram) =>
            (byProgram.GetValueOrDefault(program.Id) ?? System.Array.Empty<string>())
                .Concat(Registration.NonLinkTargets(program.PinnedPaths)).ToArray();

        internal static BpfProgramInfo WithRegistration(this BpfProgramInfo program)
        {
            program.Registration = RegistrationPins.NameOf(program.PinnedPaths);
            return program;
        }

        internal static BpfLinkInfo WithRegistration(this BpfLinkInfo link)
        {
            link.Registration = RegistrationPins.NameOf(link.PinnedPaths);
            return link;
        }
    }
}
