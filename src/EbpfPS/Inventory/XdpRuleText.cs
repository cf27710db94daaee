namespace EbpfPS
{
    /// <summary>A rule's criteria as a user would say them: "Drop Tcp from 10.0.0.0/8 to any port 22".</summary>
    internal static class XdpRuleText
    {
        internal static string Format(XdpAction action, string? protocol, string? source, int? sourcePort, string? destination, int? destinationPort) =>
            $"{action} {protocol ?? "IP"}{Side("from", source, sourcePort)}{Side("to", destination, destinationPort)}";

        private static string Side(string word, string? address, int? port) =>
            address is null && port is null ? "" : $" {word} {address ?? "any"}{(port is null ? "" : $" port {port}")}";
    }
}
