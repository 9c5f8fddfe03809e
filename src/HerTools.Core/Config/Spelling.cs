namespace HerTools.Core.Config;

/// <summary>"Did you mean ...?" for a mistyped key: the nearest known name within three edits.</summary>
internal static class Spelling
{
    private const int MaxEdits = 3;

    public static string? Nearest(IEnumerable<string> known, string typed) =>
        known.Select(k => (Name: k, Edits: Levenshtein(k, typed))).Where(k => k.Edits <= MaxEdits)
             .OrderBy(k => k.Edits).Select(k => k.Name).FirstOrDefault();

    private static int Levenshtein(string a, string b)
    {
        var d = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) d[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int prev = d[0]; d[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int tmp = d[j];
                d[j] = Math.Min(Math.Min(d[j] + 1, d[j - 1] + 1), prev + (a[i - 1] == b[j - 1] ? 0 : 1));
                prev = tmp;
            }
        }
        return d[b.Length];
    }
}
