using HerTools.Core.Checkpoints;

namespace HerTools.Core.Training;

/// <summary>
/// Checks checkpoints whole without using them: every file's SHA-256 against <c>checkpoint.json</c> (a checkpoint is
/// intact), then every file's content against its config and environment as a resume would load it (a checkpoint is
/// loadable). What <c>her-tools checkpoints --verify</c> and <c>Get-HerCheckpoint -Verify</c> report.
/// </summary>
public static class CheckpointVerifier
{
    /// <summary>Verifies one checkpoint; a refusal comes back in the result, not as an exception.</summary>
    public static CheckpointVerification Verify(CheckpointInfo checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        try
        {
            RunCheckpoint.Verify(checkpoint.Path);
            return new CheckpointVerification(checkpoint, null);
        }
        catch (CheckpointException e)
        {
            return new CheckpointVerification(checkpoint, e);
        }
    }

    /// <summary>Verifies every checkpoint of a run, newest first (the order of <see cref="CheckpointStore.List"/>).</summary>
    /// <exception cref="HerToolsException">The run folder does not exist, or a manifest cannot even be listed.</exception>
    public static IReadOnlyList<CheckpointVerification> VerifyRun(string runDirectory) =>
        CheckpointStore.List(runDirectory).Select(Verify).ToList();
}
