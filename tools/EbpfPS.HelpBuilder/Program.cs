using System;
using System.Collections.Generic;
using EbpfPS.HelpBuilder;

// Usage: EbpfPS.HelpBuilder <markdown folder> <output folder>
// Run by this project's build (see the csproj); errors use MSBuild's format so they fail the build.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: EbpfPS.HelpBuilder <markdown folder, e.g. en-US> <output folder, e.g. out/EbpfPS/en-US>");
    return 2;
}

IReadOnlyList<HelpMarkdownException> errors = HelpFolderBuilder.Build(args[0], args[1]);
foreach (HelpMarkdownException error in errors)
{
    Console.WriteLine(error.ToMSBuildError());
}

return errors.Count == 0 ? 0 : 1;
