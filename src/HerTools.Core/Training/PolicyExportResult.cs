namespace HerTools.Core.Training;

/// <summary>A policy written by <see cref="PolicyExporter"/>: where, from which checkpoint, and its shape.</summary>
public sealed record PolicyExportResult(
    string OutputPath,
    PolicyExportFormat Format,
    string CheckpointPath,
    string EnvironmentId,
    string Algorithm,
    int ObservationSize,
    int GoalSize,
    int ActionSize,
    IReadOnlyList<int> HiddenSizes,
    long ParameterCount,
    long Bytes);
