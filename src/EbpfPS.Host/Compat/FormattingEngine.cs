using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using Microsoft.PowerShell.Commands.Internal.Format;

namespace EbpfPS.Host.Compat
{
    /// <summary>
    /// The engine's own formatter lives in System.Management.Automation, but only its outer cmdlet
    /// bases are public. The real Format-Table, Format-List and Out-String are those bases plus an
    /// internal implementation object; this builds the same objects by reflection, so the views of
    /// every format.ps1xml apply exactly as in pwsh.
    /// </summary>
    internal static class FormattingEngine
    {
        private static readonly Assembly s_engine = typeof(FrontEndCommandBase).Assembly;
        private static readonly FieldInfo s_implementation = typeof(FrontEndCommandBase)
            .GetField("implementation", BindingFlags.Instance | BindingFlags.NonPublic)!;

        /// <summary>Makes a Format-* command of the given shape ("Table" or "List").</summary>
        public static void UseShape(FrontEndCommandBase command, string shape)
        {
            Type shapeType = InternalType("FormatShape");
            object inner = Activator.CreateInstance(InternalType("InnerFormatShapeCommand"),
                BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null,
                new[] { Enum.Parse(shapeType, shape) }, null)!;
            s_implementation.SetValue(command, inner);
        }

        /// <summary>Makes an Out-* command that writes its formatted lines to a TextWriter.</summary>
        public static void UseTextWriter(FrontEndCommandBase command, TextWriter writer, int columns)
        {
            object lineOutput = Activator.CreateInstance(InternalType("TextWriterLineOutput"),
                BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null,
                new object[] { writer, columns }, null)!;
            object outputManager = Activator.CreateInstance(InternalType("OutputManagerInner"), nonPublic: true)!;
            outputManager.GetType().GetProperty("LineOutput", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!
                .SetValue(outputManager, lineOutput);
            s_implementation.SetValue(command, outputManager);
        }

        private static Type InternalType(string name) =>
            s_engine.GetType("Microsoft.PowerShell.Commands.Internal.Format." + name, throwOnError: true)!;
    }
}
