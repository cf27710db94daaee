using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace EbpfPS.Host.Compat
{
    /// <summary>
    /// Small stand-ins for the Microsoft.PowerShell.Commands.Utility cmdlets (and Join-Path) that the hosted engine lacks.
    /// Each is added only when the session has no command of that name, so the real one always wins.
    /// </summary>
    internal static class CompatCmdlets
    {
        private static readonly Type[] s_cmdlets =
        {
            typeof(SelectObjectCommand), typeof(SortObjectCommand), typeof(GroupObjectCommand),
            typeof(MeasureObjectCommand), typeof(WriteOutputCommand), typeof(WriteHostCommand), typeof(WriteErrorCommand),
            typeof(WriteWarningCommand), typeof(WriteVerboseCommand), typeof(WriteDebugCommand),
            typeof(OutStringCommand), typeof(FormatTableCommand), typeof(FormatListCommand),
            typeof(ConvertToCsvCommand), typeof(ExportCsvCommand), typeof(ImportCsvCommand),
            typeof(ConvertToJsonCommand), typeof(GetDateCommand), typeof(StartSleepCommand), typeof(JoinPathCommand),
        };

        public static void AddMissing(InitialSessionState state)
        {
            foreach (Type type in s_cmdlets)
            {
                CmdletAttribute cmdlet = type.GetCustomAttribute<CmdletAttribute>()!;
                string name = cmdlet.VerbName + "-" + cmdlet.NounName;
                if (state.Commands[name].Count == 0)
                    state.Commands.Add(new SessionStateCmdletEntry(name, type, helpFileName: null));
            }
        }
    }
}
