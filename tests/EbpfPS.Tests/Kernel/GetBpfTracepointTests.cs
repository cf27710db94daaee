using System.IO;
using System.Linq;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Kernel
{
    /// <summary>Get-BpfTracepoint in a hosted engine against this kernel's tracefs.</summary>
    public class GetBpfTracepointTests : IClassFixture<KernelLeakCheck>
    {
        private static int IdFile(string category, string name) =>
            int.Parse(File.ReadAllText(Path.Combine(TraceFsFactAttribute.Path, "events", category, name, "id")));

        [TraceFsFact]
        public void Names_and_wildcards_give_each_tracepoint_once_with_the_kernel_id()
        {
            var output = HostedModule.Run("Get-BpfTracepoint -Name sock:inet_sock_set_state, 'sock:*', sched_process_exec", out var errors);

            Assert.Empty(errors);
            var infos = output.Select(o => (BpfTracepointInfo)o.BaseObject).ToList();
            Assert.Equal(infos.Count, infos.Select(i => i.Id).Distinct().Count());
            Assert.Equal(IdFile("sock", "inet_sock_set_state"), infos.Single(i => i.Name == "sock:inet_sock_set_state").Id);
            Assert.Equal(IdFile("sched", "sched_process_exec"), infos.Single(i => i.Name == "sched:sched_process_exec").Id);
            Assert.All(infos.Where(i => i.Name != "sched:sched_process_exec"), i => Assert.Equal("sock", i.Category));
        }

        [TraceFsFact]
        public void An_unknown_name_is_a_TracepointNotFound_error_per_name_and_the_rest_still_comes()
        {
            var output = HostedModule.Run("Get-BpfTracepoint nosuch:event, sched:sched_process_exec, 'nosuch:*', no_such_event", out var errors);

            Assert.Equal("sched:sched_process_exec", ((BpfTracepointInfo)Assert.Single(output).BaseObject).Name);
            Assert.Equal(2, errors.Count); // the wildcard that matches nothing is no error, as with Get-Process
            Assert.All(errors, e => Assert.Equal("TracepointNotFound,EbpfPS.Commands.GetBpfTracepointCommand", e.FullyQualifiedErrorId));
            Assert.Equal("nosuch:event", errors[0].TargetObject);
            Assert.Equal("no_such_event", errors[1].TargetObject);
        }

        [TraceFsFact]
        public void A_name_without_a_category_part_is_an_InvalidTracepointName_error()
        {
            HostedModule.Run("Get-BpfTracepoint 'sock:'", out var errors);
            Assert.Equal("InvalidTracepointName,EbpfPS.Commands.GetBpfTracepointCommand", Assert.Single(errors).FullyQualifiedErrorId);
        }
    }
}
