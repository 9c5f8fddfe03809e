namespace HerTools.Core.Sweeps;

/// <summary>How to start a sweep's unfinished runs (<see cref="SweepRunner.Start"/>).</summary>
/// <param name="Backend">Local or Slurm; null: the sweep file's <c>backend</c>.</param>
/// <param name="Throttle">Local: runs trained at a time; null: the sweep file's <c>local.throttle</c>.</param>
/// <param name="HerToolsCommand">Slurm: how a task starts her-tools on the compute node, the executable first
/// (<c>["/usr/bin/dotnet", "/opt/her-tools/her-tools.dll"]</c>); the front end passes its own path.</param>
/// <param name="SearchPollInterval">A search on Slurm: look at the queue this often and submit each rung when the one
/// before is decided, until the search ends (or the start is cancelled: the tasks go on, and a later start continues);
/// null: submit what can be submitted now and return.</param>
public sealed record SweepStartRequest(SweepBackend? Backend = null, int? Throttle = null, IReadOnlyList<string>? HerToolsCommand = null,
    TimeSpan? SearchPollInterval = null);
