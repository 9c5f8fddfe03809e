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

    // \A and \z, not ^ and $: in .NET, $ also matches before a final newline, so "agent.bin\n" would pass.
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}\z")]
    private static partial Regex PlainName();

    [GeneratedRegex(@"\Astep_([0-9]{1,19})\z")]
    private static partial Regex StepFolder();

    // Windows opens a device for these names, with or without an extension, in any folder.
    [GeneratedRegex(@"\A(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?\z", RegexOptions.IgnoreCase)]
    private static partial Regex WindowsDeviceName();

    /// <summary>A name safe as a single path component on every platform: no separators, no leading dot,
    /// nothing that could mean a parent folder, no Windows device name.</summary>
    public static bool IsPlainFileName(string name) => PlainName().IsMatch(name) && !WindowsDeviceName().IsMatch(name);

    /// <summary><paramref name="text"/> with control characters (a newline in a crafted name) written as escapes,
    /// so a message quoting it stays one line.</summary>
    public static string Printable(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\0', '\x1f') && !text.Contains('\x7f')) return text;
        var builder = new System.Text.StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (c == '\n') builder.Append("\\n");
            else if (c == '\r') builder.Append("\\r");
            else if (c == '\t') builder.Append("\\t");
            else if (char.IsControl(c)) builder.Append($"\\u{(int)c:x4}");
            else builder.Append(c);
        }
        return builder.ToString();
    }

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
