using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using Xunit;

namespace EbpfPS.HelpBuilder.Tests
{
    /// <summary>
    /// Help cannot drift from code: every exported cmdlet has its markdown, and every [Parameter] of its
    /// class is documented with the type, position, sets and pipeline input the code declares.
    /// </summary>
    public class ModuleHelpCoverageTests
    {
        private static readonly Assembly ModuleAssembly = typeof(EbpfPS.Commands.GetBpfSignalEventCommand).Assembly;

        public static IEnumerable<object[]> ExportedCmdlets() => CmdletsToExport().Select(name => new object[] { name });

        private static string[] CmdletsToExport()
        {
            string manifest = Path.Combine(TestFiles.RepoRoot, "EbpfPS.psd1");
            ScriptBlockAst ast = Parser.ParseFile(manifest, out _, out ParseError[] errors);
            Assert.Empty(errors);
            var data = (HashtableAst)ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false)!;
            var exports = data.KeyValuePairs.Single(p => p.Item1.Extent.Text == "CmdletsToExport").Item2;
            return LanguagePrimitives.ConvertTo<string[]>(((PipelineAst)exports).GetPureExpression()!.SafeGetValue());
        }

        private static Type CmdletClass(string name) =>
            ModuleAssembly.GetTypes().Single(t => t.GetCustomAttribute<CmdletAttribute>() is { } c && $"{c.VerbName}-{c.NounName}" == name);

        private static CommandHelp Markdown(string name)
        {
            string path = Path.Combine(TestFiles.HelpSourceDir, name + ".md");
            Assert.True(File.Exists(path), $"{name} is exported by EbpfPS.psd1 but has no help: create en-US/{name}.md (platyPS schema).");
            return CommandMarkdownParser.Parse(File.ReadAllText(path), path);
        }

        [Fact]
        public void The_manifest_exports_cmdlets()
        {
            Assert.NotEmpty(CmdletsToExport());
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void Every_parameter_of_the_cmdlet_class_is_documented_as_declared(string cmdlet)
        {
            CommandHelp help = Markdown(cmdlet);
            foreach (PropertyInfo property in CmdletClass(cmdlet).GetProperties())
            {
                foreach (ParameterAttribute declared in property.GetCustomAttributes<ParameterAttribute>())
                {
                    ParameterHelp? documented = help.Parameters.SingleOrDefault(p => p.Name == property.Name);
                    Assert.True(documented != null, $"{cmdlet} -{property.Name} has no '### -{property.Name}' in en-US/{cmdlet}.md.");

                    string set = declared.ParameterSetName == CommandHelp.AllParameterSets ? ParameterUsage.AllSetsMoniker : declared.ParameterSetName;
                    ParameterUsage usage = documented!.Usages.SingleOrDefault(u => u.ParameterSets.Contains(set))
                        ?? throw new Xunit.Sdk.XunitException($"{cmdlet} -{property.Name}: no yaml block with 'Parameter Sets: {set}'.");
                    Assert.Equal((property.Name, property.PropertyType.Name), (property.Name, usage.Type));
                    Assert.Equal((property.Name, declared.Position == int.MinValue ? "Named" : declared.Position.ToString()), (property.Name, usage.Position));
                    Assert.Equal((property.Name, declared.Mandatory), (property.Name, usage.Required));
                    Assert.Equal((property.Name, PipelineInput(declared)), (property.Name, usage.PipelineInput));
                    Assert.Equal( // joined: tuples compare arrays by reference
                        (property.Name, string.Join(", ", property.GetCustomAttribute<AliasAttribute>()?.AliasNames ?? new List<string>())),
                        (property.Name, string.Join(", ", usage.Aliases)));
                }
            }
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void Every_documented_parameter_exists_in_the_cmdlet_class(string cmdlet)
        {
            Type type = CmdletClass(cmdlet);
            var declared = type.GetProperties()
                .Where(p => p.IsDefined(typeof(ParameterAttribute)))
                .Select(p => p.Name)
                .Concat(ShouldProcessParameters(type));

            Assert.Empty(Markdown(cmdlet).Parameters.Select(p => p.Name).Except(declared));
        }

        // -WhatIf and -Confirm come with SupportsShouldProcess, not from properties; platyPS documents them.
        private static string[] ShouldProcessParameters(Type cmdlet) =>
            cmdlet.GetCustomAttribute<CmdletAttribute>()!.SupportsShouldProcess ? new[] { "WhatIf", "Confirm" } : Array.Empty<string>();

        // The text platyPS writes for 'Accept pipeline input'.
        private static string PipelineInput(ParameterAttribute declared)
        {
            var ways = new List<string>();
            if (declared.ValueFromPipeline)
            {
                ways.Add("ByValue");
            }

            if (declared.ValueFromPipelineByPropertyName)
            {
                ways.Add("ByPropertyName");
            }

            return ways.Count == 0 ? "False" : $"True ({string.Join(", ", ways)})";
        }
    }
}
