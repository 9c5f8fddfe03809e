using System.Globalization;
using HerTools.Core.Checkpoints;
using HerTools.Core.Metrics;

namespace HerTools.Core.Training;

/// <summary>
/// What a training run writes into its folder while it trains: the append-only <c>progress.csv</c> and <c>eval.csv</c>,
/// the TensorBoard events when <c>log.tensorboard</c> is on, and the checkpoints. Kept together because a checkpoint
/// vouches for the logs: they reach the disk before it, and it records their byte lengths, which a resume cuts them back to.
/// </summary>
internal sealed class RunOutputs : IDisposable
{
    private readonly CsvLog<ProgressRow> _progress;
    private readonly CsvLog<EvalRow> _eval;
    private readonly TensorBoardLog? _tensorBoard;

    /// <summary>Opens the logs for appending (creating them with their headers when new) in <paramref name="runDirectory"/>.</summary>
    public RunOutputs(string runDirectory, CsvHelper.Configuration.ClassMap<ProgressRow> progressColumns, bool tensorBoard)
    {
        _progress = new CsvLog<ProgressRow>(RunFiles.ProgressPath(runDirectory), progressColumns);
        _eval = new CsvLog<EvalRow>(RunFiles.EvalPath(runDirectory));
        Checkpoints = new CheckpointStore(runDirectory);
        if (tensorBoard) _tensorBoard = new TensorBoardLog(runDirectory, DateTimeOffset.UtcNow);
    }

    public CheckpointStore Checkpoints { get; }

    public void Append(ProgressRow row)
    {
        _progress.Append(row);
        AddToTensorBoard("progress/", row.Timesteps, row.Scalars());
    }

    public void Append(EvalRow row)
    {
        _eval.Append(row);
        AddToTensorBoard("eval/", row.Timesteps, row.Scalars());
    }

    /// <summary>
    /// Flushes both logs to the disk, then writes checkpoint <paramref name="name"/> with their byte lengths added to the
    /// summary's extra fields (<see cref="RunResume.ProgressBytesKey"/>, <see cref="RunResume.EvalBytesKey"/>).
    /// </summary>
    /// <returns>The checkpoint's folder.</returns>
    public string SaveCheckpoint(string name, CheckpointSummary summary, IReadOnlyList<CheckpointFile> files)
    {
        _progress.FlushToDisk();
        _eval.FlushToDisk();
        var extra = new Dictionary<string, string>(summary.Extra)
        {
            [RunResume.ProgressBytesKey] = _progress.Length.ToString(CultureInfo.InvariantCulture),
            [RunResume.EvalBytesKey] = _eval.Length.ToString(CultureInfo.InvariantCulture),
        };
        return Checkpoints.Save(name, summary with { Extra = extra }, files);
    }

    // log.tensorboard: the row's scalars as one event, flushed so a TensorBoard watching sees it now.
    private void AddToTensorBoard(string prefix, long step, IEnumerable<(string Column, double Value)> scalars)
    {
        if (_tensorBoard is null) return;
        _tensorBoard.AddScalars(step, scalars.Select(s => (prefix + s.Column, s.Value)), DateTimeOffset.UtcNow);
        _tensorBoard.Flush();
    }

    public void Dispose()
    {
        _progress.Dispose();
        _eval.Dispose();
        _tensorBoard?.Dispose();
    }
}
