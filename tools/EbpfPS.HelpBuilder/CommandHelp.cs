using System;
using System.Collections.Generic;
using System.Linq;

namespace EbpfPS.HelpBuilder
{
    /// <summary>One cmdlet's help as read from its platyPS markdown; paragraphs are plain text.</summary>
    public sealed record CommandHelp(
        string Name,
        string HelpFileName,
        IReadOnlyList<string> Synopsis,
        IReadOnlyList<string> Description,
        IReadOnlyList<SyntaxItem> Syntax,
        IReadOnlyList<ParameterHelp> Parameters,
        IReadOnlyList<TypeHelp> Inputs,
        IReadOnlyList<TypeHelp> Outputs,
        IReadOnlyList<string> Notes,
        IReadOnlyList<ExampleHelp> Examples,
        IReadOnlyList<RelatedLink> RelatedLinks)
    {
        /// <summary>The parameter set name PowerShell gives a cmdlet that declares none.</summary>
        public const string AllParameterSets = "__AllParameterSets";
    }

    /// <summary>A parameter set and its parameters in the order its syntax line shows them.</summary>
    public sealed record SyntaxItem(string ParameterSetName, IReadOnlyList<string> ParameterNames);

    public sealed record ParameterHelp(string Name, IReadOnlyList<string> Description, IReadOnlyList<ParameterUsage> Usages)
    {
        /// <summary>How the parameter is used in one parameter set (the first usage when none fits).</summary>
        public ParameterUsage UsageIn(string parameterSetName)
        {
            foreach (ParameterUsage usage in Usages)
            {
                if (usage.AppliesTo(parameterSetName))
                {
                    return usage;
                }
            }

            return Usages[0];
        }
    }

    /// <summary>One ```yaml block of a parameter: its metadata for the parameter sets it names.</summary>
    public sealed record ParameterUsage(
        string Type,
        IReadOnlyList<string> ParameterSets,
        IReadOnlyList<string> Aliases,
        IReadOnlyList<string> AcceptedValues,
        bool Required,
        string Position,
        string DefaultValue,
        string PipelineInput,
        bool Globbing)
    {
        public const string AllSetsMoniker = "(All)";

        public bool AppliesTo(string parameterSetName) =>
            ParameterSets.Contains(AllSetsMoniker) || ParameterSets.Contains(parameterSetName, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>An input or output type and what it means.</summary>
    public sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

    public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

    public sealed record RelatedLink(string Text, string Uri);
}
