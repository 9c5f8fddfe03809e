namespace HerTools.PowerShell;

/// <summary>Which log of a run folder <c>Import-HerMetric</c> reads.</summary>
public enum MetricKind
{
    /// <summary><c>progress.csv</c>: a row every <c>log.log_interval</c> steps.</summary>
    Progress,
    /// <summary><c>eval.csv</c>: a row per evaluation.</summary>
    Eval,
}
