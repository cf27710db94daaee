using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace EbpfPS.HelpBuilder
{
    /// <summary>
    /// Writes commands as MAML, the XML Get-Help reads from &lt;module&gt;/&lt;culture&gt;/&lt;dll&gt;-Help.xml,
    /// in the shape platyPS's New-ExternalHelp gives it, so either tool's output reads the same.
    /// </summary>
    public static class MamlWriter
    {
        public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        private static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

        // Padding the way Microsoft's own help titles its examples.
        private const string ExampleTitleDashes = "--------------------------";

        public static XDocument ToMaml(IEnumerable<CommandHelp> commands) =>
            new(new XDeclaration("1.0", "utf-8", null),
                new XElement("helpItems", new XAttribute("schema", "maml"), commands.Select(CommandElement)));

        private static XElement CommandElement(CommandHelp command)
        {
            int dash = command.Name.IndexOf('-');
            return new XElement(Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
                new XElement(Command + "details",
                    new XElement(Command + "name", command.Name),
                    new XElement(Command + "verb", dash > 0 ? command.Name[..dash] : command.Name),
                    new XElement(Command + "noun", dash > 0 ? command.Name[(dash + 1)..] : ""),
                    Description(command.Synopsis)),
                Description(command.Description),
                new XElement(Command + "syntax", command.Syntax.Select(set => SyntaxItem(command, set))),
                new XElement(Command + "parameters", command.Parameters.Select(p => Parameter(p, p.Usages[0], inSyntax: false))),
                new XElement(Command + "inputTypes", command.Inputs.Select(t => TypedEntry("inputType", t))),
                new XElement(Command + "returnValues", command.Outputs.Select(t => TypedEntry("returnValue", t))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(command.Notes))),
                new XElement(Command + "examples", command.Examples.Select(Example)),
                new XElement(Command + "relatedLinks", command.RelatedLinks.Select(link =>
                    new XElement(Maml + "navigationLink",
                        new XElement(Maml + "linkText", link.Text),
                        new XElement(Maml + "uri", link.Uri)))));
        }

        private static XElement SyntaxItem(CommandHelp command, SyntaxItem set) =>
            new(Command + "syntaxItem",
                new XElement(Maml + "name", command.Name),
                set.ParameterNames
                    .Select(name => command.Parameters.First(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                    .Select(p => Parameter(p, p.UsageIn(set.ParameterSetName), inSyntax: true)));

        private static XElement Parameter(ParameterHelp parameter, ParameterUsage usage, bool inSyntax)
        {
            string type = usage.Type.Equals("switch", StringComparison.OrdinalIgnoreCase) ? "SwitchParameter" : usage.Type;
            bool isSwitch = type == "SwitchParameter";
            return new XElement(Command + "parameter",
                new XAttribute("required", Lower(usage.Required)),
                new XAttribute("variableLength", "true"),
                new XAttribute("globbing", Lower(usage.Globbing)),
                new XAttribute("pipelineInput", usage.PipelineInput),
                new XAttribute("position", usage.Position.ToLowerInvariant()),
                new XAttribute("aliases", usage.Aliases.Count > 0 ? string.Join(", ", usage.Aliases) : "none"),
                new XElement(Maml + "name", parameter.Name),
                Description(parameter.Description),
                inSyntax && usage.AcceptedValues.Count > 0
                    ? new XElement(Command + "parameterValueGroup", usage.AcceptedValues.Select(value =>
                        new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), value)))
                    : null,
                // Get-Help shows a switch in a syntax line as [-Name], without a value.
                inSyntax && isSwitch
                    ? null
                    : new XElement(Command + "parameterValue", new XAttribute("required", Lower(!isSwitch)), new XAttribute("variableLength", "false"), type),
                new XElement(Dev + "type", new XElement(Maml + "name", type), new XElement(Maml + "uri")),
                new XElement(Dev + "defaultValue", usage.DefaultValue));
        }

        private static XElement TypedEntry(string elementName, TypeHelp type) =>
            new(Command + elementName,
                new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
                Description(type.Description));

        private static XElement Example(ExampleHelp example) =>
            new(Command + "example",
                new XElement(Maml + "title", $"{ExampleTitleDashes} {example.Title} {ExampleTitleDashes}"),
                new XElement(Dev + "code", example.Code),
                new XElement(Dev + "remarks", Paras(example.Remarks)));

        private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paras(paragraphs));

        private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) =>
            paragraphs.Select(paragraph => new XElement(Maml + "para", paragraph));

        private static string Lower(bool value) => value ? "true" : "false";
    }
}
