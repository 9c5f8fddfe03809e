using System.Management.Automation;
using HerTools.Core.Runs;
using HerTools.Core.Training;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>
/// Evaluates a checkpoint's policy under the spec's protocol (deterministic actions, episode i reset with
/// seed <c>Seed + i</c>): success rate, mean return and mean final distance, and with <c>-Detailed</c> every episode.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "HerEval")]
[OutputType(typeof(HerEvaluation))]
public sealed class InvokeHerEvalCommand : HerCmdlet
{
    /// <summary>A checkpoint folder; <c>Get-HerCheckpoint</c>'s output binds through <c>Path</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int Episodes { get; set; } = 100;

    /// <summary>Reset seed of the first episode; by default the run's own <c>eval.eval_seed</c> (the episodes its training evaluations used).</summary>
    [Parameter]
    public ulong? Seed { get; set; }

    /// <summary>TorchSharp threads for the evaluation.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int Threads { get; set; } = 1;

    /// <summary>Attach one record per episode (seed, success, return, final distance, length).</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    private CancellationTokenSource? _cancel;

    protected override void StopProcessing()
    {
        try { _cancel?.Cancel(); } catch (ObjectDisposedException) { }
    }

    protected override void ProcessRecord()
    {
        string given = ResolveExistingDirectory(Path, "Checkpoint folder");
        string checkpoint = given;
        EvaluationResult result;
        try
        {
            checkpoint = RunRecords.ResolveCheckpoint(given);
            WriteVerbose($"Evaluating '{checkpoint}' for {Episodes} episodes from seed {(Seed is { } seed ? seed.ToString() : "eval.eval_seed of its run")}.");
            using var cancel = new CancellationTokenSource();
            _cancel = cancel;
            // Ctrl+C stops between episodes.
            try { result = Evaluator.EvaluateCheckpoint(checkpoint, Episodes, Seed, Threads, cancel.Token); }
            finally { _cancel = null; }
        }
        catch (OperationCanceledException) when (Stopping) { return; }
        catch (Exception e) { ThrowEngineError(e, checkpoint); return; }
        WriteObject(HerEvaluation.From(checkpoint, result.FirstSeed, result, Detailed));
    }
}
