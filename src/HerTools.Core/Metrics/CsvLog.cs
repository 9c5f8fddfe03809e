using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace HerTools.Core.Metrics;

/// <summary>
/// An append-only CSV file of one row type. Each row is formatted first and written with one write and a
/// flush, so a process killed at any moment leaves at most the row being written torn; the next open
/// cuts that torn tail. Rows are never rewritten: a resume only cuts rows past its checkpoint.
/// </summary>
public sealed class CsvLog<TRow> : IDisposable
{
    private static readonly CsvConfiguration Csv = new(CultureInfo.InvariantCulture) { NewLine = "\n" };
    private readonly FileStream _stream;
    private readonly ClassMap<TRow>? _columns;

    /// <summary>Opens (or creates) the log; the header is written only into an empty file.
    /// A header that differs from <typeparamref name="TRow"/>'s is refused: appending would mix schemas.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="columns">The columns this log writes, when a row type has several column sets (see
    /// <see cref="ProgressRow.Columns"/>); null: every column <typeparamref name="TRow"/>'s attributes declare.</param>
    public CsvLog(string path, ClassMap<TRow>? columns = null)
    {
        Path = path;
        _columns = columns;
        _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            string header = FormatHeader(columns);
            if (_stream.Length > 0)
            {
                // Checked before the torn tail is cut: a file of another schema is left exactly as it is.
                string? existing = ReadFirstLine()?.TrimEnd('\r');
                if (existing is not null && existing != header.TrimEnd('\n'))
                    throw new MetricsFormatException(path, $"its header '{existing}' differs from this version's '{header.TrimEnd('\n')}'");
            }
            CutTornTail();
            if (_stream.Length == 0) WriteRaw(header);
            _stream.Seek(0, SeekOrigin.End);
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
    }

    public string Path { get; }

    public void Append(TRow row)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, Csv))
        {
            if (_columns is not null) csv.Context.RegisterClassMap(_columns);
            csv.WriteRecord(row);
            csv.NextRecord();
        }
        FaultInjection.At(FaultPoint.LogAppend, Path);
        WriteRaw(text.ToString());
    }

    /// <summary>
    /// Cuts every row after the last one <paramref name="keep"/> accepts, scanning from the start:
    /// how a resume drops rows a dead run wrote after its checkpoint.
    /// </summary>
    public static void CutAfter(string path, Func<TRow, bool> keep, ClassMap<TRow>? columns = null)
    {
        if (!File.Exists(path)) return;
        byte[] bytes = File.ReadAllBytes(path);
        int headerEnd = Array.IndexOf(bytes, (byte)'\n');
        if (headerEnd < 0) return;
        // A file of another schema is refused before anything is cut: its rows would not parse and all would go.
        string header = Encoding.UTF8.GetString(bytes, 0, headerEnd).TrimEnd('\r');
        string expected = FormatHeader(columns).TrimEnd('\n');
        if (header != expected) throw new MetricsFormatException(path, $"its header '{header}' differs from this version's '{expected}'");

        long keepLength = headerEnd + 1;
        int lineNumber = 1;
        for (int start = headerEnd + 1; start < bytes.Length;)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0) break; // a torn last line: cut with the rest
            lineNumber++;
            string line = Encoding.UTF8.GetString(bytes, start, end - start).TrimEnd('\r');
            TRow? row = ParseLine(header, line);
            if (row is null) throw new MetricsFormatException(path, $"line {lineNumber} cannot be read as a row; nothing was cut");
            if (!keep(row)) break;
            keepLength = end + 1;
            start = end + 1;
        }
        if (bytes.Length > keepLength)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
            stream.SetLength(keepLength);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>The file's length in bytes: every complete row written so far (a checkpoint records it).</summary>
    public long Length => _stream.Length;

    /// <summary>
    /// Cuts the file back to <paramref name="length"/> bytes, the length a checkpoint recorded: how a resume drops the
    /// rows a dead process wrote after that checkpoint, without reading them. False (nothing changed) when the file
    /// is missing or shorter, which only a file changed by hand can be; the caller then falls back to <see cref="CutAfter"/>.
    /// </summary>
    public static bool TruncateTo(string path, long length)
    {
        if (!File.Exists(path)) return false;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        if (stream.Length < length) return false;
        if (stream.Length > length)
        {
            stream.SetLength(length);
            stream.Flush(flushToDisk: true);
        }
        return true;
    }

    /// <summary>Forces the rows written so far to disk (before a checkpoint, so the log is never behind it after a power loss).</summary>
    public void FlushToDisk() => _stream.Flush(flushToDisk: true);

    /// <summary>Reads every complete row; a torn last line is ignored.</summary>
    public static List<TRow> ReadAll(string path)
    {
        var rows = new List<TRow>();
        if (!File.Exists(path)) return rows;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string all = reader.ReadToEnd();
        int end = all.LastIndexOf('\n');
        if (end < 0) return rows;
        using var csv = new CsvReader(new StringReader(all[..(end + 1)]), Csv);
        try
        {
            rows.AddRange(csv.GetRecords<TRow>());
        }
        catch (CsvHelperException e)
        {
            throw new MetricsFormatException(path, $"row {csv.Parser.Row} cannot be read: {e.Message.Split('\n')[0]}");
        }
        return rows;
    }

    public void Dispose() => _stream.Dispose();

    private static TRow? ParseLine(string header, string line)
    {
        try
        {
            using var csv = new CsvReader(new StringReader(header + "\n" + line + "\n"), Csv);
            return csv.GetRecords<TRow>().FirstOrDefault();
        }
        catch (CsvHelperException) { return default; }
    }

    private static string FormatHeader(ClassMap<TRow>? columns)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, Csv))
        {
            if (columns is not null) csv.Context.RegisterClassMap(columns);
            csv.WriteHeader<TRow>();
            csv.NextRecord();
        }
        return text.ToString();
    }

    private void WriteRaw(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        _stream.Write(bytes);
        _stream.Flush();
    }

    private void CutTornTail()
    {
        long length = _stream.Length;
        if (length == 0) return;
        _stream.Seek(-1, SeekOrigin.End);
        if (_stream.ReadByte() == '\n') return;
        // Walk back to the last newline: everything after it is a row a killed process did not finish.
        long pos = length - 1;
        while (pos > 0)
        {
            _stream.Seek(pos - 1, SeekOrigin.Begin);
            if (_stream.ReadByte() == '\n') break;
            pos--;
        }
        _stream.SetLength(pos);
        _stream.Flush();
    }

    /// <summary>The first line, or null when the file has no complete line (a header torn by a kill).</summary>
    private string? ReadFirstLine()
    {
        _stream.Seek(0, SeekOrigin.Begin);
        var bytes = new List<byte>();
        int b;
        while ((b = _stream.ReadByte()) >= 0 && b != '\n') bytes.Add((byte)b);
        return b < 0 ? null : Encoding.UTF8.GetString(bytes.ToArray());
    }
}
