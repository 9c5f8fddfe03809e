using HerTools.Core.Config;
using HerTools.Core.Runs;

namespace HerTools.Core.Training;

/// <summary>The runtime entry point every front end calls: one training run into one run folder.</summary>
public static class HerTrainer
{
    /// <summary>
    /// Resolves <paramref name="request"/> (<see cref="TrainingRequest.Resolve"/>), claims its run folder
    /// (<see cref="TrainingSession.Open"/>) and trains. Cancelling <paramref name="cancellationToken"/> writes a
    /// checkpoint and returns with <see cref="TrainingStatus.Stopped"/>.
    /// </summary>
    public static TrainingResult Train(TrainingRequest request, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var plan = request.Resolve();
        using var session = TrainingSession.Open(plan);
        return session.Run(progress, cancellationToken);
    }

    /// <summary>
    /// Trains <paramref name="config"/> into <paramref name="runDirectory"/> (created if needed), writing
    /// <c>config.yaml</c>, <c>progress.csv</c>, <c>eval.csv</c> and <c>checkpoints/</c>. With
    /// <paramref name="resumeFrom"/> (a checkpoint folder) it continues that run exactly; the run folder may be
    /// the checkpoint's own run (continue) or another (a branch). Cancelling <paramref name="cancellationToken"/>
    /// writes a checkpoint and returns with <see cref="TrainingStatus.Stopped"/>.
    /// </summary>
    /// <exception cref="ConfigException">The config is invalid.</exception>
    /// <exception cref="RunLockedException">Another process is writing the run folder.</exception>
    /// <exception cref="HerToolsException">Training diverged, a checkpoint is corrupt, or a file cannot be written.</exception>
    /// <remarks>With <paramref name="resumeFrom"/>, <paramref name="config"/> may be null (the checkpoint's config is
    /// used); if given it must equal the checkpoint's, but for <c>total_timesteps</c> and <c>threads</c>. An environment plug-in
    /// (<c>env.assembly</c>) that is not the file the checkpoint recorded stops a resume with <see cref="EnvPluginChangedException"/>
    /// unless <c>acceptChangedEnvPlugin</c> is true.</remarks>
    public static TrainingResult TrainHer(RunConfig? config, string runDirectory, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default, string? resumeFrom = null, bool acceptChangedEnvPlugin = false) =>
        Train(new TrainingRequest { Config = config, Output = runDirectory, Resume = resumeFrom, AcceptChangedEnvPlugin = acceptChangedEnvPlugin },
            progress, cancellationToken);
}
