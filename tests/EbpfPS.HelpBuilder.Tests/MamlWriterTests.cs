using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace EbpfPS.HelpBuilder.Tests
{
    /// <summary>The MAML written for Samples/Get-Sample.md, element by element.</summary>
    public class MamlWriterTests
    {
        private static readonly XNamespace Maml = MamlWriter.Maml;
        private static readonly XNamespace Command = MamlWriter.Command;
        private static readonly XNamespace Dev = MamlWriter.Dev;

        private readonly XDocument _document = MamlWriter.ToMaml(new[] { TestFiles.ParseSample("Get-Sample.md") });

        private XElement CommandElement => _document.Root!.Element(Command + "command")!;

        private static string Attributes(XElement element) =>
            string.Join(" ", element.Attributes().Select(a => $"{a.Name}=\"{a.Value}\""));

        private static string[] Paras(XElement? parent) =>
            parent!.Elements(Maml + "para").Select(p => p.Value).ToArray();

        private static XElement Parameter(XElement parent, string name) =>
            parent.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == name);

        [Fact]
        public void Root_is_helpItems_with_one_command_in_platyPS_section_order()
        {
            Assert.Equal("helpItems", _document.Root!.Name.LocalName);
            Assert.Equal("maml", _document.Root.Attribute("schema")!.Value);
            Assert.Single(_document.Root.Elements());
            Assert.Equal(
                new[] { "details", "description", "syntax", "parameters", "inputTypes", "returnValues", "alertSet", "examples", "relatedLinks" },
                CommandElement.Elements().Select(e => e.Name.LocalName));
        }

        [Fact]
        public void Details_hold_name_verb_noun_and_synopsis_without_markdown_emphasis()
        {
            XElement details = CommandElement.Element(Command + "details")!;
            Assert.Equal("Get-Sample", details.Element(Command + "name")!.Value);
            Assert.Equal("Get", details.Element(Command + "verb")!.Value);
            Assert.Equal("Sample", details.Element(Command + "noun")!.Value);
            Assert.Equal(new[] { "Gets sample items." }, Paras(details.Element(Maml + "description")));
        }

        [Fact]
        public void Description_has_a_para_per_paragraph_and_list_item_with_links_and_code_as_text()
        {
            Assert.Equal(
                new[]
                {
                    "Gets sample items by name or by id, see the docs (https://example.org/docs).",
                    "Uses `Get-Item` underneath.",
                    "- first point",
                    "- second point",
                },
                Paras(CommandElement.Element(Maml + "description")));
        }

        [Fact]
        public void Syntax_has_an_item_per_parameter_set_with_its_parameters_in_syntax_line_order()
        {
            XElement[] items = CommandElement.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToArray();
            Assert.Equal(2, items.Length);
            Assert.All(items, item => Assert.Equal("Get-Sample", item.Element(Maml + "name")!.Value));
            Assert.Equal(new[] { "Name", "Scope", "Mode", "Force" }, items[0].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
            Assert.Equal(new[] { "Id", "Scope", "Force" }, items[1].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
        }

        [Fact]
        public void Syntax_parameters_use_the_yaml_block_of_their_own_parameter_set()
        {
            XElement[] items = CommandElement.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToArray();
            Assert.Equal(
                "required=\"false\" variableLength=\"true\" globbing=\"false\" pipelineInput=\"False\" position=\"1\" aliases=\"none\"",
                Attributes(Parameter(items[0], "Scope")));
            Assert.Equal(
                "required=\"true\" variableLength=\"true\" globbing=\"false\" pipelineInput=\"False\" position=\"named\" aliases=\"none\"",
                Attributes(Parameter(items[1], "Scope")));
        }

        [Fact]
        public void Syntax_shows_accepted_values_and_no_value_for_a_switch()
        {
            XElement set = CommandElement.Element(Command + "syntax")!.Elements(Command + "syntaxItem").First();
            XElement mode = Parameter(set, "Mode");
            Assert.Equal(
                new[] { "Exact", "Prefix" },
                mode.Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => v.Value));
            Assert.Null(Parameter(set, "Force").Element(Command + "parameterValue"));
        }

        [Fact]
        public void Parameter_has_platyPS_attributes_and_children()
        {
            XElement name = Parameter(CommandElement.Element(Command + "parameters")!, "Name");
            Assert.Equal(
                "required=\"false\" variableLength=\"true\" globbing=\"true\" pipelineInput=\"True (ByValue, ByPropertyName)\" position=\"0\" aliases=\"ItemName, N\"",
                Attributes(name));
            Assert.Equal(new[] { "name", "description", "parameterValue", "type", "defaultValue" }, name.Elements().Select(e => e.Name.LocalName));
            Assert.Equal(new[] { "Names to get." }, Paras(name.Element(Maml + "description")));
            Assert.Equal("required=\"true\" variableLength=\"false\"", Attributes(name.Element(Command + "parameterValue")!));
            Assert.Equal("String[]", name.Element(Command + "parameterValue")!.Value);
            Assert.Equal("String[]", name.Element(Dev + "type")!.Element(Maml + "name")!.Value);
            Assert.Equal("None", name.Element(Dev + "defaultValue")!.Value);
        }

        [Fact]
        public void Switch_parameter_value_is_not_required_in_the_parameters_section()
        {
            XElement force = Parameter(CommandElement.Element(Command + "parameters")!, "Force");
            Assert.Equal(
                "required=\"false\" variableLength=\"true\" globbing=\"false\" pipelineInput=\"False\" position=\"named\" aliases=\"f\"",
                Attributes(force));
            Assert.Equal("required=\"false\" variableLength=\"false\"", Attributes(force.Element(Command + "parameterValue")!));
            Assert.Equal("SwitchParameter", force.Element(Command + "parameterValue")!.Value);
            Assert.Equal("False", force.Element(Dev + "defaultValue")!.Value);
        }

        [Fact]
        public void Parameters_section_lists_each_parameter_once_in_markdown_order()
        {
            Assert.Equal(
                new[] { "Force", "Id", "Mode", "Name", "Scope" },
                CommandElement.Element(Command + "parameters")!.Elements().Select(p => p.Element(Maml + "name")!.Value));
        }

        [Fact]
        public void Example_has_padded_title_all_code_blocks_and_remarks()
        {
            XElement example = CommandElement.Element(Command + "examples")!.Elements(Command + "example").Single();
            Assert.Equal("-------------------------- Example 1: Get by name --------------------------", example.Element(Maml + "title")!.Value);
            Assert.Equal("Get-Sample -Name a*\n\nName\n----\nalpha", example.Element(Dev + "code")!.Value);
            Assert.Equal(new[] { "Gets the items whose name starts with a.", "Wildcards are allowed." }, Paras(example.Element(Dev + "remarks")));
        }

        [Fact]
        public void Inputs_outputs_and_notes()
        {
            XElement input = CommandElement.Element(Command + "inputTypes")!.Elements().Single();
            Assert.Equal("System.String[]", input.Element(Dev + "type")!.Element(Maml + "name")!.Value);
            Assert.Equal(new[] { "Names, from the pipeline." }, Paras(input.Element(Maml + "description")));

            XElement output = CommandElement.Element(Command + "returnValues")!.Elements().Single();
            Assert.Equal("Sample.Item", output.Element(Dev + "type")!.Element(Maml + "name")!.Value);
            Assert.Empty(Paras(output.Element(Maml + "description")));

            Assert.Equal(new[] { "A note." }, Paras(CommandElement.Element(Maml + "alertSet")!.Element(Maml + "alert")));
        }

        [Fact]
        public void Related_links_start_with_the_online_version()
        {
            var links = CommandElement.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink")
                .Select(l => (l.Element(Maml + "linkText")!.Value, l.Element(Maml + "uri")!.Value));
            Assert.Equal(
                new[] { ("Online Version:", "https://example.org/get-sample"), ("about_Sample", "about_Sample.md") },
                links);
        }
    }
}
