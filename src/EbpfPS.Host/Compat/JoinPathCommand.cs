using System.Linq;
using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>Join-Path (a Management cmdlet the hosted engine also lacks): joins without resolving, as the real one.</summary>
    [Cmdlet(VerbsCommon.Join, "Path")]
    [OutputType(typeof(string))]
    public sealed class JoinPathCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("PSPath")]
        public string[] Path { get; set; } = System.Array.Empty<string>();

        [Parameter(Mandatory = true, Position = 1)]
        [AllowEmptyString]
        public string ChildPath { get; set; } = "";

        [Parameter(Position = 2, ValueFromRemainingArguments = true)]
        public string[] AdditionalChildPath { get; set; } = System.Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (string path in Path)
                WriteObject(new[] { ChildPath }.Concat(AdditionalChildPath).Aggregate(path, (joined, child) =>
                    System.IO.Path.Join(joined.TrimEnd('/', '\\'), child.TrimStart('/', '\\'))));
        }
    }
}
