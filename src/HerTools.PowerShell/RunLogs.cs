using HerTools.Core.Metrics;

namespace HerTools.PowerShell;

/// <summary>Reading a run folder's logs for the cmdlets that take run folders.</summary>
internal static class RunLogs
{
    /// <summary>The run's id as its logs name it (<c>progress.csv</c>'s <c>run_id</c>), else the folder's name.</summary>
    public static string RunId(string runDirectory)
    {
        var rows = CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(runDirectory));
        string? logged = rows.Count > 0 ? rows[0].RunId : null;
        return string.IsNullOrEmpty(logged) ? Path.GetFileName(Path.TrimEndingDirectorySeparator(runDirectory)) : logged;
    }

    /// <summary>The log's path; a missing file is an ObjectNotFound error naming the folder.</summary>
    public static string RequireLog(string runDirectory, string fileName)
    {
        string path = Path.Combine(runDirectory, fileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"'{runDirectory}' has no {fileName}: it is not a run folder, or its run has not logged yet.", path);
        return path;
    }
}
