using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;

namespace EbpfPS.Host.Compat
{
    /// <summary>
    /// Group-Object: groups with Count, Name, Values and Group, in the order their first member came,
    /// typed as the real GroupInfo so that its table view applies.
    /// </summary>
    [Cmdlet(VerbsData.Group, "Object")]
    public sealed class GroupObjectCommand : PSCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        [Parameter(Position = 0)]
        public object[]? Property { get; set; }

        [Parameter]
        public SwitchParameter NoElement { get; set; }

        [Parameter]
        public SwitchParameter CaseSensitive { get; set; }

        private readonly List<(string Name, object?[] Values, Collection<PSObject> Group)> _groups = new();
        private Dictionary<string, int>? _indexByName;
        private PropertyExpression[] _keys = Array.Empty<PropertyExpression>();

        protected override void BeginProcessing()
        {
            _keys = PropertyExpression.ParseAll(Property);
            _indexByName = new Dictionary<string, int>(CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        }

        protected override void ProcessRecord()
        {
            if (InputObject is null) return;
            object?[] values = _keys.Length == 0 ? new[] { InputObject.BaseObject } : _keys.Select(k => k.GetValue(InputObject)).ToArray();
            string name = string.Join(", ", values.Select(v => v is null ? "" : PSObject.AsPSObject(v).ToString()));
            if (!_indexByName!.TryGetValue(name, out int index))
            {
                index = _groups.Count;
                _indexByName[name] = index;
                _groups.Add((name, values, new Collection<PSObject>()));
            }
            _groups[index].Group.Add(InputObject);
        }

        protected override void EndProcessing()
        {
            foreach (var (name, values, group) in _groups)
            {
                var info = new PSObject();
                info.Properties.Add(new PSNoteProperty("Count", group.Count));
                info.Properties.Add(new PSNoteProperty("Name", name));
                info.Properties.Add(new PSNoteProperty("Values", values));
                if (!NoElement) info.Properties.Add(new PSNoteProperty("Group", group));
                info.TypeNames.Insert(0, NoElement ? "Microsoft.PowerShell.Commands.GroupInfoNoElement" : "Microsoft.PowerShell.Commands.GroupInfo");
                WriteObject(info);
            }
        }
    }
}
