namespace HerTools.Core.Sweeps;

/// <summary>Where a sweep's runs execute.</summary>
public enum SweepBackend
{
    /// <summary>In this process, several runs at a time (<c>local.throttle</c>).</summary>
    Local,
    /// <summary>As one Slurm job array, a task per run.</summary>
    Slurm,
}
