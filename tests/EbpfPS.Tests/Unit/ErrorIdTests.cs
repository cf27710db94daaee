using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using EbpfPS.Core;
using EbpfPS.Tests.Support;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>Error ids are a contract: the help promises them and scripts catch them. The catalogue
    /// (BpfErrorIds) keeps its naming rule, the help names only ids of the catalogue, and the code raises
    /// every id of the catalogue and no other.</summary>
    public class ErrorIdTests
    {
        // Its internal constants; the private ones are pieces of its Rule.
        private static readonly FieldInfo[] Fields = typeof(BpfErrorIds).GetFields(BindingFlags.Static | BindingFlags.NonPublic)
            .Where(f => f.IsLiteral && !f.IsPrivate).ToArray();

        private static readonly string[] Catalogue = Fields.Select(f => (string)f.GetRawConstantValue()!).ToArray();

        [Fact]
        public void Ids_are_unique_named_as_they_read_and_follow_the_naming_rule()
        {
            Assert.NotEmpty(Catalogue);
            Assert.Empty(Catalogue.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
            Assert.Empty(Fields.Where(f => f.Name != (string)f.GetRawConstantValue()!).Select(f => f.Name));
            Assert.DoesNotContain(Catalogue, id => !BpfErrorIds.Rule.IsMatch(id));
        }

        /// <summary>What reads as an id (the naming rule) anywhere in the help or the README is one.</summary>
        [Fact]
        public void Every_id_the_help_mentions_is_in_the_catalogue()
        {
            var documents = Directory.GetFiles(Path.Combine(ModuleSession.RepoRoot, "en-US"), "*.md")
                .Append(Path.Combine(ModuleSession.RepoRoot, "README.md"));
            var mentioned = documents
                .SelectMany(path => Regex.Matches(File.ReadAllText(path), "[A-Za-z0-9]+")
                    .Select(m => m.Value).Where(word => BpfErrorIds.Rule.IsMatch(word)).Select(id => (Document: Path.GetFileName(path), Id: id)))
                .Distinct().ToList();

            Assert.NotEmpty(mentioned);
            Assert.Empty(mentioned.Where(m => !Catalogue.Contains(m.Id)).Select(m => $"{m.Document}: {m.Id}"));
        }

        /// <summary>Each id is raised through its constant (BpfErrorIds.X), and no id is written as a string
        /// elsewhere in the module, so that the catalogue is the one place ids come from.</summary>
        [Fact]
        public void Every_id_is_raised_through_the_catalogue_and_none_elsewhere()
        {
            var sources = Directory.GetFiles(Path.Combine(ModuleSession.RepoRoot, "src", "EbpfPS"), "*.cs", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(ModuleSession.RepoRoot, path))
                .Where(path => Path.GetFileName(path) != "BpfErrorIds.cs" && !path.Contains("/obj/") && !path.Contains("/bin/"))
                .ToDictionary(path => path, path => File.ReadAllText(Path.Combine(ModuleSession.RepoRoot, path)));

            Assert.DoesNotContain(Catalogue, id => !sources.Values.Any(text => Regex.IsMatch(text, $@"\bBpfErrorIds\.{id}\b")));
            Assert.Empty(sources.SelectMany(source => Regex.Matches(source.Value, "\"([A-Za-z0-9]+)\"")
                .Select(m => m.Groups[1].Value).Where(word => BpfErrorIds.Rule.IsMatch(word)).Select(literal => $"{source.Key}: \"{literal}\"")));
        }
    }
}
