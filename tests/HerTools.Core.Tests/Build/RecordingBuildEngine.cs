using System.Collections;
using Microsoft.Build.Framework;

namespace HerTools.Core.Tests.Build;

/// <summary>The part of MSBuild a task talks to, keeping what the task logged so a test can read it.</summary>
internal sealed class RecordingBuildEngine : IBuildEngine
{
    public List<BuildMessageEventArgs> Messages { get; } = [];
    public List<BuildWarningEventArgs> Warnings { get; } = [];
    public List<BuildErrorEventArgs> Errors { get; } = [];

    public bool ContinueOnError => false;
    public int LineNumberOfTaskNode => 0;
    public int ColumnNumberOfTaskNode => 0;
    public string ProjectFileOfTaskNode => "test.proj";

    public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e);
    public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);
    public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);
    public void LogCustomEvent(CustomBuildEventArgs e) { }

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException("PatchTorchSharpNative builds no projects.");
}
