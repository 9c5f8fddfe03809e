namespace HerTools.Core.Checkpoints;

/// <summary>
/// A checkpoint the engine refuses to list or load. Carries what the user must see: the checkpoint folder,
/// the file inside it that is wrong (<c>checkpoint.json</c> when the folder itself is the problem) and what is
/// wrong with it. The message reads <c>&lt;folder&gt;/&lt;file&gt;: &lt;problem&gt;</c>.
/// </summary>
public sealed class CheckpointException : HerToolsException
{
    public CheckpointException(string checkpointPath, string? fileName, CheckpointProblem kind, string problem, Exception? inner = null)
        : base(Format(checkpointPath, fileName, problem), inner)
    {
        CheckpointPath = checkpointPath;
        FileName = fileName;
        Kind = kind;
        Problem = problem;
    }

    /// <summary>The checkpoint folder (or the path that was given as one).</summary>
    public string CheckpointPath { get; }

    /// <summary>The file inside the checkpoint folder that is wrong; null when no single file is to blame
    /// (a path that is neither a checkpoint nor a run folder).</summary>
    public string? FileName { get; }

    public CheckpointProblem Kind { get; }

    /// <summary>The problem alone, without the path.</summary>
    public string Problem { get; }

    private static string Format(string checkpointPath, string? fileName, string problem) =>
        fileName is null ? $"{checkpointPath}: {problem}" : $"{System.IO.Path.Combine(checkpointPath, fileName)}: {problem}";
}
