using System.Management.Automation;
using System.Text;

namespace EbpfPS.Host
{
    /// <summary>An error as Windows PowerShell's NormalView prints it: message, position, category, error id.</summary>
    internal static class ErrorView
    {
        public static string Format(ErrorRecord error)
        {
            var text = new StringBuilder();
            string message = error.ErrorDetails?.Message ?? error.Exception.Message;
            string? command = error.InvocationInfo?.MyCommand?.Name;
            text.AppendLine(string.IsNullOrEmpty(command) ? message : $"{command}: {message}");
            string? position = error.InvocationInfo?.PositionMessage;
            if (!string.IsNullOrEmpty(position)) text.AppendLine(position);
            text.AppendLine($"    + CategoryInfo          : {error.CategoryInfo}");
            text.Append($"    + FullyQualifiedErrorId : {error.FullyQualifiedErrorId}");
            return text.ToString();
        }
    }
}
