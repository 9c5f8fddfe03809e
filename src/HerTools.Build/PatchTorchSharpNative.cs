using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace HerTools.Build;

/// <summary>
/// MSBuild task: marks the <c>GLIBCXX_3.4.32</c> need of each given <c>libLibTorchSharp.so</c> weak
/// (see <see cref="ElfVersionNeedPatcher"/>) and says what it did to each file in the build log.
/// Files without that need, and files that are not ELF, are left untouched with a message, not a warning:
/// a build for another platform or a future TorchSharp that no longer needs the fix is not a problem.
/// </summary>
public sealed class PatchTorchSharpNative : Microsoft.Build.Utilities.Task
{
    /// <summary>The copies to patch: build, publish or module outputs, never the package cache.</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>The version need to mark weak.</summary>
    public string VersionName { get; set; } = ElfVersionNeedPatcher.TorchSharpMarkerVersion;

    /// <summary>The same files, each with an <c>Outcome</c> metadata naming the <see cref="ElfPatchOutcome"/>.</summary>
    [Output]
    public ITaskItem[] Results { get; private set; } = [];

    /// <inheritdoc />
    public override bool Execute()
    {
        var results = new List<ITaskItem>(Files.Length);
        foreach (ITaskItem file in Files)
        {
            string path = file.GetMetadata("FullPath");
            ElfPatchOutcome outcome;
            try
            {
                outcome = ElfVersionNeedPatcher.PatchFile(path, VersionName);
            }
            catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Log.LogError(
                    subcategory: null, errorCode: "HERTOOLS001", helpKeyword: null, file: path,
                    lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0,
                    message: "HerTools: could not mark the {0} need of {1} weak: {2}",
                    VersionName, path, exception.Message);
                continue;
            }
            Log.LogMessage(outcome == ElfPatchOutcome.AlreadyWeak ? MessageImportance.Normal : MessageImportance.High,
                Describe(outcome, path, VersionName));
            var result = new TaskItem(file);
            result.SetMetadata("Outcome", outcome.ToString());
            results.Add(result);
        }
        Results = results.ToArray();
        return !Log.HasLoggedErrors;
    }

    /// <summary>The build message for one file's outcome.</summary>
    internal static string Describe(ElfPatchOutcome outcome, string path, string versionName) => outcome switch
    {
        ElfPatchOutcome.Patched => $"HerTools: marked the {versionName} version need of {path} weak, so it loads where libstdc++ lacks that version.",
        ElfPatchOutcome.AlreadyWeak => $"HerTools: the {versionName} version need of {path} is already weak; nothing to do.",
        ElfPatchOutcome.NoSuchNeed => $"HerTools: {path} has no {versionName} version need; left untouched.",
        ElfPatchOutcome.NotElf => $"HerTools: {path} is not an ELF file; left untouched.",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
