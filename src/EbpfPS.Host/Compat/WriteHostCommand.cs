using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>Write-Host: text to the host through the information stream, as the real one does (tag PSHOST).</summary>
    [Cmdlet(VerbsCommunications.Write, "Host")]
    public sealed class WriteHostCommand : PSCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromRemainingArguments = true)]
        public object? Object { get; set; }

        [Parameter] public SwitchParameter NoNewline { get; set; }
        [Parameter] public object Separator { get; set; } = " ";
        [Parameter] public ConsoleColor ForegroundColor { get; set; }
        [Parameter] public ConsoleColor BackgroundColor { get; set; }

        protected override void ProcessRecord()
        {
            var message = new HostInformationMessage { Message = Text(Object), NoNewLine = NoNewline };
            if (MyInvocation.BoundParameters.ContainsKey(nameof(ForegroundColor))) message.ForegroundColor = ForegroundColor;
            if (MyInvocation.BoundParameters.ContainsKey(nameof(BackgroundColor))) message.BackgroundColor = BackgroundColor;
            WriteInformation(message, new[] { "PSHOST" });
        }

        private string Text(object? value) => value is PSObject wrapped ? Text(wrapped.BaseObject) : value switch
        {
            null => "",
            string text => text,
            IEnumerable items => string.Join(Separator.ToString(), items.Cast<object?>().Select(Text)),
            _ => PSObject.AsPSObject(value).ToString(),
        };
    }
}
