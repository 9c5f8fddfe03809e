using HerTools.Core.Checkpoints;
using HerTools.Core.Config;

namespace HerTools.Core.Training;

/// <summary>
/// A resolved <see cref="TrainingRequest"/>: the config to train and the run folder, nothing created yet. What
/// <c>-WhatIf</c> shows; <see cref="TrainingSession.Open"/> claims the folder.
/// </summary>
/// <param name="Config">The config the run trains with (for a resume, the checkpoint's with the new budget and threads).</param>
/// <param name="RunDirectory">The run folder (for <see cref="RunFolderClaim.Default"/>, the name it will most likely get).</param>
/// <param name="Claim">How the folder is taken.</param>
/// <param name="ResumeFrom">The checkpoint continued from; null for a new run or a restart.</param>
/// <param name="RestartsFromTheStart">The run never reached a checkpoint: it starts again, its partial logs set aside.</param>
/// <param name="PicksLatest">The resume named a run, so its latest checkpoint is chosen again once the folder is locked.</param>
/// <param name="RunsRoot">For <see cref="RunFolderClaim.Default"/>: where default folders go.</param>
/// <param name="Stem">For <see cref="RunFolderClaim.Default"/>: what the folder is named after.</param>
/// <param name="Requested">When the request was made (the default folder's time stamp).</param>
public sealed record TrainingPlan(
    RunConfig Config,
    string RunDirectory,
    RunFolderClaim Claim,
    CheckpointInfo? ResumeFrom,
    bool RestartsFromTheStart,
    bool PicksLatest,
    string? RunsRoot,
    string? Stem,
    DateTimeOffset Requested)
{
    /// <summary>A resume goes on with an environment plug-in that is not the file its checkpoint recorded.</summary>
    public bool AcceptChangedEnvPlugin { get; init; }

    /// <summary>One line for a front end to show: what will be trained, from where, into which folder.</summary>
    public string Describe() => ResumeFrom is { } from
        ? $"Resume from '{from.Path}' (step {from.Step:N0}) to {Config.TotalTimesteps:N0} steps into '{RunDirectory}'"
        : RestartsFromTheStart
            ? $"Restart {Config.Env.Id} with {Config.Algo} from the start (it never reached a checkpoint) " +
                $"for {Config.TotalTimesteps:N0} steps in '{RunDirectory}'"
            : $"Train {Config.Env.Id} with {Config.Algo} for {Config.TotalTimesteps:N0} steps into '{RunDirectory}'";
}
