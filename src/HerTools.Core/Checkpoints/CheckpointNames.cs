using System.Text.RegularExpressions;

namespace HerTools.Core.Checkpoints;

/// <summary>
/// The names inside <c>&lt;run&gt;/checkpoints/</c>. Visible folders are checkpoints; folders whose names begin with
/// a dot belong to a save or a deletion in progress and are never listed:
/// <c>.tmp-&lt;name&gt;-&lt;guid&gt;</c> a checkpoint being written, <c>.old-&lt;name&gt;-&lt;guid&gt;</c> a checkpoint being
/// replaced (set aside just before the new one takes its name), <c>.del-&lt;name&gt;-&lt;guid&gt;</c> one being deleted.
/// </summary>
internal static partial class CheckpointNames
{
    public const string TempPrefix = ".tmp-";
    public const string AsidePrefix = ".old-";
    public const string DeletingPrefix = ".del-";
    private const int GuidLength = 32; // Guid "N" format

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")]
    private static partial Regex PlainName();

    [GeneratedRegex(@"^step_([0-9]{1,19})$")]
    private static partial Regex StepFolder();

    /// <summary>A name safe as a single path component on every platform: no separators, no leading dot,
    /// nothing that could mean a parent folder.</summary>
    public static bool IsPlainFileName(string name) => PlainName().IsMatch(name);

    public static bool TryParseStep(string folderName, out long step)
    {
        var match = StepFolder().Match(folderName);
        step = 0;
        return match.Success && long.TryParse(match.Groups[1].Value, out step);
    }

    public static string Hidden(string prefix, string name) => $"{prefix}{name}-{Guid.NewGuid():N}";

    /// <summary>The checkpoint name inside <c>&lt;prefix&gt;&lt;name&gt;-&lt;guid&gt;</c>, or null for any other folder name.</summary>
    public static string? HiddenOriginal(string folderName, string prefix)
    {
        int nameLength = folderName.Length - prefix.Length - 1 - GuidLength;
        if (!folderName.StartsWith(prefix, StringComparison.Ordinal) || nameLength <= 0
            || folderName[prefix.Length + nameLength] != '-'
            || folderName.AsSpan(folderName.Length - GuidLength).ContainsAnyExcept("0123456789abcdef"))
            return null;
        string name = folderName.Substring(prefix.Length, nameLength);
        return IsPlainFileName(name) ? name : null;
    }
}
