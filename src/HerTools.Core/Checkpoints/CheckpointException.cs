namespace HerTools.Core.Checkpoints;

/// <summary>
/// A checkpoint the engine refuses to list or load. Carries what the user must see: the checkpoint folder,
/// the file inside it that is wrong (<c>checkpoint.json</c> when the folder itself is the problem), the field of that
/// file when one value is to blame, and what is wrong with it. The message is one line:
/// <c>&lt;folder&gt;/&lt;file&gt;: &lt;field&gt;: &lt;problem&gt;</c>.
/// </summary>
public sealed class CheckpointException : HerToolsException
{
    public CheckpointException(string checkpointPath, string? fileName, CheckpointProblem kind, string problem, Exception? inner = null)
        : this(checkpointPath, fileName, null, kind, problem, inner)
    {
    }

    public CheckpointException(string checkpointPath, string? fileName, string? field, CheckpointProblem kind, string problem, Exception? inner = null)
        : base(Format(checkpointPath, fileName, field, problem), inner)
    {
        CheckpointPath = checkpointPath;
        FileName = fileName;
        Field = field;
        Kind = kind;
        Problem = problem;
    }

    /// <summary>The checkpoint folder (or the path that was given as one).</summary>
    public string CheckpointPath { get; }

    /// <summary>The file inside the checkpoint folder that is wrong; null when no single file is to blame
    /// (a path that is neither a checkpoint nor a run folder).</summary>
    public string? FileName { get; }

    /// <summary>The field of <see cref="FileName"/> that is wrong (<c>observation</c>, <c>actor parameters</c>,
    /// <c>episode 3 rows</c>), or null when the file as a whole is.</summary>
    public string? Field { get; }

    public CheckpointProblem Kind { get; }

    /// <summary>The problem alone, without the path.</summary>
    public string Problem { get; }

    // Names and values in a checkpoint come from whoever wrote it: a newline in one must not split the message.
    private static string Format(string checkpointPath, string? fileName, string? field, string problem)
    {
        string where = fileName is null ? checkpointPath : System.IO.Path.Combine(checkpointPath, fileName);
        return CheckpointNames.Printable(field is null ? $"{where}: {problem}" : $"{where}: {field}: {problem}");
    }
}
