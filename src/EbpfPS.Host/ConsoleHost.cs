using System;
using System.Globalization;
using System.Management.Automation.Host;

namespace EbpfPS.Host
{
    /// <summary>The PSHost of ebpfps: a console, and the place where 'exit N' leaves its code.</summary>
    internal sealed class ConsoleHost : PSHost
    {
        private readonly ConsoleHostUserInterface _ui = new();

        public override string Name => "EbpfPS";
        public override Version Version { get; } = typeof(ConsoleHost).Assembly.GetName().Version ?? new Version(0, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

        public bool ShouldExit { get; private set; }
        public int ExitCode { get; private set; }

        public override void SetShouldExit(int exitCode)
        {
            ShouldExit = true;
            ExitCode = exitCode;
        }

        public override void EnterNestedPrompt() => throw new NotSupportedException("ebpfps has no nested prompt.");
        public override void ExitNestedPrompt() => throw new NotSupportedException("ebpfps has no nested prompt.");
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }
}
