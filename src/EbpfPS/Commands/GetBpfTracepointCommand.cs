using System;
using System.Collections.Generic;
using System.Management.Automation;
using EbpfPS.Core;
using EbpfPS.Core.TraceFs;

namespace EbpfPS.Commands
{
    /// <summary>Lists the kernel's tracepoints with the fields of their records, read from tracefs.</summary>
    [Cmdlet(VerbsCommon.Get, "BpfTracepoint")]
    [OutputType(typeof(BpfTracepointInfo))]
    public sealed class GetBpfTracepointCommand : PSCmdlet
    {
        /// <summary>CATEGORY:NAME, wildcards allowed (sock:*, *:sched_process_*); a NAME alone is searched in every category.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Tracepoint")]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(TracepointCompleter))]
        public string[]? Name { get; set; }

        private string _traceFs = "";
        private readonly HashSet<int> _written = new();

        protected override void BeginProcessing()
        {
            try { _traceFs = KernelSupport.DemandTraceFs(); }
            catch (BpfException e) { ThrowTerminatingError(BpfErrors.From(e)); }
        }

        protected override void ProcessRecord()
        {
            foreach (var name in Name ?? new[] { "*:*" })
            {
                bool anyCategory = name.IndexOfAny(new[] { ':', '/' }) < 0;
                List<TracepointFormat> formats;
                try
                {
                    formats = anyCategory
                        ? Tracepoints.Resolve(_traceFs, "*:" + name, () => new BpfException(BpfErrorKind.NotFound,
                            $"No tracepoint of this kernel is named '{name}' in any category.",
                            "Get-BpfTracepoint '*name*' searches with wildcards; CATEGORY:NAME names one (sched:sched_process_exec).")
                            { ErrorId = BpfErrorIds.TracepointNotFound })
                        : Tracepoints.Resolve(_traceFs, name);
                }
                catch (BpfException e)
                {
                    // As Get-Process does: a pattern that matches nothing is no error, a name that does is.
                    if (e.Kind != BpfErrorKind.NotFound || !WildcardPattern.ContainsWildcardCharacters(name))
                        WriteError(BpfErrors.From(e, name));
                    continue;
                }
                foreach (var format in formats)
                    if (_written.Add(format.Id)) WriteObject(BpfTracepointInfo.From(format));
            }
        }
    }
}
