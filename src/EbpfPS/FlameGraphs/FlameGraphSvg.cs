using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security;
using System.Text;

namespace EbpfPS.FlameGraphs
{
    /// <summary>An SVG flame graph of counted stacks, as Brendan Gregg draws them: a frame per function and caller path,
    /// as wide as the samples it was on the stack for, callers below callees, siblings in name order; a tooltip per frame,
    /// and a small script to search (highlighting what matches and how much of the profile it is; ?s=REGEX searches on
    /// load) and to show a frame's details under the pointer.</summary>
    internal static class FlameGraphSvg
    {
        private const int Width = 1200, FrameHeight = 16, FontSize = 12, Top = 60, Bottom = 30, Side = 10;
        private const double CharWidth = FontSize * 0.59, MinFrameWidth = 0.1;

        private sealed class Node(string name)
        {
            internal string Name { get; } = name;
            internal long Count { get; set; }
            internal SortedDictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);
        }

        internal static void Write(FoldedStacks stacks, string title, TextWriter output)
        {
            var root = new Node("all");
            foreach (var (frames, count) in stacks.Stacks)
            {
                var node = root;
                node.Count += count;
                foreach (var frame in frames)
                {
                    if (!node.Children.TryGetValue(frame, out var child)) node.Children[frame] = child = new Node(frame);
                    child.Count += count;
                    node = child;
                }
            }
            int depth = Depth(root);
            int height = Top + Bottom + depth * FrameHeight;
            double scale = root.Count > 0 ? (Width - 2.0 * Side) / root.Count : 0;

            var svg = new StringBuilder();
            svg.Append(CultureInfo.InvariantCulture, $"""
                <?xml version="1.0" standalone="no"?>
                <svg version="1.1" width="{Width}" height="{height}" viewBox="0 0 {Width} {height}" xmlns="http://www.w3.org/2000/svg" onload="init()">
                <style>
                text {"{"} font-family: Verdana, sans-serif; font-size: {FontSize}px; fill: #000; {"}"}
                #title {"{"} font-size: 17px; text-anchor: middle; {"}"}
                .control {"{"} cursor: pointer; opacity: 0.9; {"}"}
                g.f:hover rect {"{"} stroke: #000; stroke-width: 0.5; {"}"}
                g.f text {"{"} pointer-events: none; {"}"}
                </style>
                <script type="text/ecmascript"><![CDATA[{Script}]]></script>
                <rect x="0" y="0" width="{Width}" height="{height}" fill="#f8f8f8"/>
                <text id="title" x="{Width / 2}" y="24">{Escape(title)}</text>
                <text id="search" class="control" x="{Width - Side - 100}" y="24" onclick="askSearch()">Search</text>
                <text id="reset" class="control" x="{Width - Side - 40}" y="24" onclick="resetSearch()" visibility="hidden">Reset</text>
                <text id="matched" x="{Width - Side - 200}" y="{height - 10}"></text>
                <text id="details" x="{Side}" y="{height - 10}"> </text>

                """);
            DrawChildren(svg, root, Side, 0, height - Bottom, scale, root.Count);
            svg.Append("</svg>\n");
            output.Write(svg.ToString());
        }

        private static int Depth(Node node) => node.Children.Count == 0 ? 0 : 1 + node.Children.Values.Max(Depth);

        /// <summary>Draws NODE's children from X at LEVEL (0 is the bottom row), then theirs above them.</summary>
        private static void DrawChildren(StringBuilder svg, Node node, double x, int level, int baseline, double scale, long total)
        {
            foreach (var child in node.Children.Values)
            {
                double width = child.Count * scale;
                if (width >= MinFrameWidth)
                {
                    Frame(svg, child, x, baseline - (level + 1) * FrameHeight, width, total);
                    DrawChildren(svg, child, x, level + 1, baseline, scale, total);
                }
                x += width;
            }
        }

        private static void Frame(StringBuilder svg, Node node, double x, int y, double width, long total)
        {
            string name = Escape(node.Name);
            double percent = 100.0 * node.Count / total;
            string label = Label(node.Name, width);
            svg.Append(CultureInfo.InvariantCulture,
                $"<g class=\"f\" data-name=\"{name}\" data-count=\"{node.Count}\" onmouseover=\"show(this)\" onmouseout=\"hide()\">" +
                $"<title>{name} ({node.Count:N0} samples, {percent:0.##}%)</title>" +
                $"<rect x=\"{x:0.##}\" y=\"{y}\" width=\"{width:0.###}\" height=\"{FrameHeight - 1}\" fill=\"{Color(node.Name)}\" rx=\"2\" ry=\"2\"/>" +
                $"<text x=\"{x + 3:0.##}\" y=\"{y + FrameHeight - 4}\">{Escape(label)}</text></g>\n");
        }

        /// <summary>As much of the name as the frame's width shows, cut with "..".</summary>
        private static string Label(string name, double width)
        {
            int fits = (int)((width - 6) / CharWidth);
            if (fits < 3) return "";
            return name.Length <= fits ? name : name[..(fits - 2)] + "..";
        }

        /// <summary>Warm colours for user code, orange for the kernel, green for JIT-compiled code, as flamegraph.pl's
        /// palettes; the shade from the name, so that a function keeps its colour from one graph to the next.</summary>
        private static string Color(string name)
        {
            uint hash = 2166136261;
            foreach (char c in name) hash = (hash ^ c) * 16777619;
            double v1 = (hash & 0xff) / 255.0, v2 = ((hash >> 8) & 0xff) / 255.0;
            var (r, g, b) = name.EndsWith("_[k]", StringComparison.Ordinal) ? (200 + 55 * v1, 110 + 60 * v2, 30 * v1)
                : name.EndsWith("_[j]", StringComparison.Ordinal) ? (50 + 60 * v1, 170 + 60 * v2, 50 + 40 * v1)
                : (205 + 50 * v1, 230 * v2, 55 * v1);
            return string.Create(CultureInfo.InvariantCulture, $"rgb({(int)r},{(int)g},{(int)b})");
        }

        private static string Escape(string text) => SecurityElement.Escape(text) ?? "";

        // The script: details of the frame under the pointer; a search by regular expression that paints what matches
        // and says how much of the graph it covers, measured on the frames as the browser laid them out.
        private const string Script = """

            var details, matched, reset, frames, searching = null;
            function init() {
              details = document.getElementById("details");
              matched = document.getElementById("matched");
              reset = document.getElementById("reset");
              frames = document.getElementsByClassName("f");
              var term = new URLSearchParams(document.location.search).get("s");
              if (term) search(term);
            }
            function show(frame) { details.textContent = frame.getElementsByTagName("title")[0].textContent; }
            function hide() { details.textContent = " "; }
            function askSearch() {
              var term = prompt("Search for (regular expression):", searching || "");
              if (term) search(term);
            }
            function resetSearch() {
              for (var i = 0; i < frames.length; i++) {
                var rect = frames[i].getElementsByTagName("rect")[0];
                if (rect.hasAttribute("data-fill")) { rect.setAttribute("fill", rect.getAttribute("data-fill")); rect.removeAttribute("data-fill"); }
                frames[i].removeAttribute("data-matched");
              }
              matched.textContent = "";
              reset.setAttribute("visibility", "hidden");
              searching = null;
            }
            function search(term) {
              resetSearch();
              var pattern = new RegExp(term), spans = [], all = 0;
              for (var i = 0; i < frames.length; i++) {
                var box = frames[i].getElementsByTagName("rect")[0].getBBox();
                all = Math.max(all, box.x + box.width);
                if (!pattern.test(frames[i].getAttribute("data-name"))) continue;
                var rect = frames[i].getElementsByTagName("rect")[0];
                rect.setAttribute("data-fill", rect.getAttribute("fill"));
                rect.setAttribute("fill", "rgb(230,0,230)");
                frames[i].setAttribute("data-matched", "true");
                spans.push([box.x, box.x + box.width]);
              }
              // a match above another covers no more of the graph: measure the union of their spans
              spans.sort(function (a, b) { return a[0] - b[0]; });
              var covered = 0, end = -1;
              for (var j = 0; j < spans.length; j++) {
                if (spans[j][1] <= end) continue;
                covered += spans[j][1] - Math.max(spans[j][0], end);
                end = spans[j][1];
              }
              var first = frames.length ? frames[0].getElementsByTagName("rect")[0].getBBox().x : 0;
              var percent = all > first ? 100 * covered / (all - first) : 0;
              matched.textContent = "Matched: " + percent.toFixed(1) + "%";
              reset.setAttribute("visibility", "visible");
              searching = term;
            }

            """;
    }
}
