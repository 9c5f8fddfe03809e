namespace HerTools.Cli.Output;

/// <summary>Left-aligned columns separated by two spaces, for human-readable listings.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException($"expected {headers.Length} cells, got {cells.Length}", nameof(cells));
        _rows.Add(cells);
    }

    /// <summary>Writes the header row (unless <paramref name="header"/> is false) and the rows, each line prefixed with <paramref name="indent"/>.</summary>
    public void Write(TextWriter output, bool header = true, string indent = "")
    {
        IEnumerable<string[]> lines = header ? _rows.Prepend(headers) : _rows;
        int[] widths = headers.Select((_, i) => lines.Max(r => r[i].Length)).ToArray();
        foreach (var row in lines)
            output.WriteLine((indent + string.Join("  ", row.Select((c, i) => c.PadRight(widths[i])))).TrimEnd());
    }
}
