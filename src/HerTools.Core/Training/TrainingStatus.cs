namespace HerTools.Core.Training;

/// <summary>How a training run ended.</summary>
public enum TrainingStatus
{
    /// <summary>Reached <c>total_timesteps</c>.</summary>
    Completed,
    /// <summary>Stopped on request (cancellation token) after writing a checkpoint.</summary>
    Stopped,
}
