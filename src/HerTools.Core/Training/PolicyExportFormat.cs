namespace HerTools.Core.Training;

/// <summary>What <see cref="PolicyExporter"/> writes.</summary>
public enum PolicyExportFormat
{
    /// <summary>A HerTools policy file (<c>.htp</c>), read by the HerTools.Policy library (<c>GoalPolicy.Load</c>).</summary>
    Htp,
    /// <summary>An ONNX model for any ONNX runtime: inputs <c>observation</c>, <c>achieved_goal</c>, <c>desired_goal</c>, output <c>action</c>.</summary>
    Onnx,
}
