using System.Management.Automation;
using HerTools.Core;
using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Metrics;
using HerTools.Core.Runs;
using HerTools.Core.Training;

namespace HerTools.PowerShell;

/// <summary>
/// The one place the engine's error family becomes PowerShell error records: an error id a script can match
/// (<c>$_.FullyQualifiedErrorId -like 'InvalidConfig,*'</c>), a category, and as target what the user must fix
/// (the file and line, the override, the checkpoint folder).
/// </summary>
internal static class EngineErrors
{
    public static ErrorRecord ToErrorRecord(Exception error, object? target)
    {
        if (error is AggregateException { InnerExceptions.Count: 1 } aggregate) error = aggregate.InnerExceptions[0];
        var (id, category, errorTarget) = Classify(error, target);
        return new ErrorRecord(error, id, category, errorTarget);
    }

    private static (string Id, ErrorCategory Category, object? Target) Classify(Exception error, object? target) => error switch
    {
        ConfigException { Key: null, File: string file } when !File.Exists(file) && !file.StartsWith("preset:", StringComparison.Ordinal)
            => ("ConfigFileNotFound", ErrorCategory.ObjectNotFound, file),
        ConfigException config => ("InvalidConfig", ErrorCategory.InvalidArgument, ConfigTarget(config) ?? target),
        CheckpointException { Kind: CheckpointProblem.NotACheckpoint } missing when !Directory.Exists(missing.CheckpointPath)
            && !File.Exists(missing.CheckpointPath)
            => ("PathNotFound", ErrorCategory.ObjectNotFound, missing.CheckpointPath),
        CheckpointException checkpoint => ("InvalidCheckpoint", ErrorCategory.InvalidData, checkpoint.CheckpointPath),
        RunRequestException { MissingPath: string missingPath } => ("PathNotFound", ErrorCategory.ObjectNotFound, missingPath),
        RunRequestException => ("InvalidRequest", ErrorCategory.InvalidArgument, target),
        RunFolderInUseException inUse => ("RunDirectoryInUse", ErrorCategory.ResourceExists, inUse.RunDirectory),
        RunLockedException locked => ("RunLocked", ErrorCategory.ResourceBusy, locked.RunDirectory),
        TrainingDivergedException => ("TrainingDiverged", ErrorCategory.InvalidResult, target),
        MetricsFormatException metrics => ("InvalidMetricsFile", ErrorCategory.InvalidData, metrics.Path),
        UnknownEnvironmentException unknown => ("UnknownEnvironment", ErrorCategory.ObjectNotFound, unknown.Id),
        EnvOptionException => ("InvalidEnvironmentOption", ErrorCategory.InvalidArgument, target),
        FileNotFoundException missing => ("PathNotFound", ErrorCategory.ObjectNotFound, missing.FileName ?? target),
        DirectoryNotFoundException => ("PathNotFound", ErrorCategory.ObjectNotFound, target),
        UnauthorizedAccessException => ("AccessDenied", ErrorCategory.PermissionDenied, target),
        IOException => ("FileSystemError", ErrorCategory.WriteError, target),
        OperationCanceledException => ("TrainingStopped", ErrorCategory.OperationStopped, target),
        NotImplementedException => ("NotImplemented", ErrorCategory.NotImplemented, target),
        HerToolsException => ("HerToolsError", ErrorCategory.InvalidOperation, target),
        ArgumentException => ("InvalidArgument", ErrorCategory.InvalidArgument, target),
        _ => ("UnexpectedError", ErrorCategory.NotSpecified, target),
    };

    /// <summary>Where a config error points: <c>file:line</c>, the override text, or the key.</summary>
    private static string? ConfigTarget(ConfigException e) =>
        e.Override ?? (e.File is null ? e.Key : e.Line is int line ? $"{e.File}:{line}" : e.File);
}
