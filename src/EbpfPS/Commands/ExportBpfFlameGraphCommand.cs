using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using EbpfPS.Core;
using EbpfPS.FlameGraphs;

namespace EbpfPS.Commands
{
    /// <summary>The formats Export-BpfFlameGraph writes.</summary>
    public enum BpfFlameGraphFormat
    {
        /// <summary>An SVG flame graph, searchable in a browser.</summary>
        Svg,
        /// <summary>Folded stacks, "comm;outer;inner count" a line, as flamegraph.pl and other flame graph tools read them.</summary>
        Folded,
        /// <summary>speedscope's JSON file format (https://www.speedscope.app).</summary>
        Speedscope,
    }

    /// <summary>Writes the samples of Get-BpfCpuProfile as a flame graph: an SVG, folded stacks or speedscope's JSON. The
    /// format follows the file's extension (.svg; .folded, .txt; .json) unless -Format says it. Like Export-Csv, it
    /// replaces an existing file unless -NoClobber, and -Force replaces a read-only one.</summary>
    [Cmdlet(VerbsData.Export, "BpfFlameGraph", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportBpfFlameGraphCommand : PSCmdlet
    {
        private readonly FoldedStacks _stacks = new();

        /// <summary>The file to write.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Svg, Folded or Speedscope; by default from the extension of -Path.</summary>
        [Parameter]
        public BpfFlameGraphFormat Format { get; set; }

        /// <summary>Samples of Get-BpfCpuProfile (or objects with its Command, Stack and Count, such as those of
        /// Import-Clixml or of a remote session).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>The SVG's title (default: "CPU profile" with the number of samples).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Title { get; set; }

        /// <summary>Do not replace an existing file: stop with an error instead.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>Replace a read-only file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the file's FileInfo to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject is null) return;
            var properties = InputObject.Properties;
            if (properties["Stack"]?.Value is not string stack || properties["Count"]?.Value is not { } count)
            {
                WriteError(BpfErrors.InvalidParameter(BpfErrorIds.BpfInvalidArgument,
                    $"The input has no Stack and Count of a CPU profile sample: {InputObject}.",
                    "Pipe the output of Get-BpfCpuProfile into Export-BpfFlameGraph.", InputObject));
                return;
            }
            _stacks.Add(properties["Command"]?.Value?.ToString() ?? "", stack, Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture));
        }

        protected override void EndProcessing()
        {
            string path = GetUnresolvedProviderPathFromPSPath(Path);
            var format = MyInvocation.BoundParameters.ContainsKey(nameof(Format)) ? Format : FormatOf(path);
            if (_stacks.Count == 0)
                ThrowTerminatingError(BpfErrors.InvalidParameter(BpfErrorIds.FlameGraphSamplesMissing,
                    "No samples came with a stack and a count: there is nothing to draw.",
                    "Pipe the samples of Get-BpfCpuProfile into it: Get-BpfCpuProfile -Duration 10 | Export-BpfFlameGraph -Path cpu.svg. A profile of a process that did not run has no samples.", null));
            if (File.Exists(path) && NoClobber)
                ThrowTerminatingError(new ErrorRecord(new IOException($"The file '{path}' already exists."), BpfErrorIds.FlameGraphFileExists, ErrorCategory.ResourceExists, path)
                {
                    ErrorDetails = new ErrorDetails($"The file '{path}' already exists, and -NoClobber keeps it.") { RecommendedAction = "Leave out -NoClobber to replace it, or give another -Path." },
                });
            if (!ShouldProcess(path, $"Write a {format} flame graph of {_stacks.Total:N0} samples")) return;
            try
            {
                if (Force && File.Exists(path)) MakeWritable(path);
                using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
                    Write(format, file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(e, BpfErrorIds.BpfWriteFailed, ErrorCategory.WriteError, path)
                {
                    ErrorDetails = new ErrorDetails($"Writing '{path}' failed: {e.Message}")
                    {
                        RecommendedAction = File.Exists(path) && !Force ? "If the file is read-only, -Force replaces it; else check the directory's permissions." : "Check that the directory exists and that you may write to it.",
                    },
                });
            }
            if (PassThru) WriteObject(new FileInfo(path));
        }

        private void Write(BpfFlameGraphFormat format, Stream file)
        {
            switch (format)
            {
                case BpfFlameGraphFormat.Folded:
                    using (var writer = new StreamWriter(file, new UTF8Encoding(false)))
                        _stacks.WriteFolded(writer);
                    break;
                case BpfFlameGraphFormat.Speedscope:
                    Speedscope.Write(_stacks, Title ?? "CPU profile", file);
                    break;
                default:
                    using (var writer = new StreamWriter(file, new UTF8Encoding(false)))
                        FlameGraphSvg.Write(_stacks, Title ?? $"CPU profile ({_stacks.Total:N0} samples)", writer);
                    break;
            }
        }

        /// <summary>The format a file's extension names.</summary>
        private BpfFlameGraphFormat FormatOf(string path)
        {
            switch (System.IO.Path.GetExtension(path).ToLowerInvariant())
            {
                case ".svg": return BpfFlameGraphFormat.Svg;
                case ".folded" or ".txt" or ".stacks": return BpfFlameGraphFormat.Folded;
                case ".json" or ".speedscope": return BpfFlameGraphFormat.Speedscope;
                default:
                    ThrowTerminatingError(BpfErrors.InvalidParameter(BpfErrorIds.UnknownFlameGraphFormat,
                        $"The extension of '{path}' names no flame graph format.",
                        "Give -Format Svg, Folded or Speedscope, or a path ending in .svg, .folded (.txt) or .json.", path));
                    return default;
            }
        }

        /// <summary>-Force: gives the owner write permission, as Export-Csv -Force clears a read-only attribute.</summary>
        private static void MakeWritable(string path)
        {
            if (OperatingSystem.IsWindows()) return;
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserWrite)) File.SetUnixFileMode(path, mode | UnixFileMode.UserWrite);
        }
    }
}
