using System;
using System.IO;
using System.Management.Automation;
using Microsoft.PowerShell.Commands.Internal.Format;

namespace EbpfPS.Host.Compat
{
    /// <summary>Out-String: the objects formatted as Out-Default would print them, as one string or (-Stream) line by line.</summary>
    [Cmdlet(VerbsData.Out, "String")]
    [OutputType(typeof(string))]
    public sealed class OutStringCommand : FrontEndCommandBase
    {
        [Parameter]
        public SwitchParameter Stream { get; set; }

        /// <summary>Columns of the text; the host's width by default, as tables on the console are laid out.</summary>
        [Parameter]
        [ValidateRange(2, int.MaxValue)]
        public int Width { get; set; }

        [Parameter]
        public SwitchParameter NoNewline { get; set; }

        private readonly StringWriter _text = new();

        protected override void BeginProcessing()
        {
            FormattingEngine.UseTextWriter(this, _text, Width > 0 ? Width : Host.UI.RawUI.BufferSize.Width);
            base.BeginProcessing();
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            string text = _text.ToString();
            if (Stream)
                WriteObject(text.TrimEnd('\n').Split('\n'), enumerateCollection: true);
            else
                WriteObject(NoNewline ? text.Replace(Environment.NewLine, "") : text);
        }
    }
}
