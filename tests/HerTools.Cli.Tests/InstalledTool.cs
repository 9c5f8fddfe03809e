using System.Diagnostics;

namespace HerTools.Cli.Tests;

/// <summary>
/// her-tools in a process of its own, as a user runs it: the installed tool when scripts/test.sh installed one
/// (HERTOOLS_TOOL_PATH), otherwise the build beside these tests.
/// </summary>
internal static class InstalledTool
{
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        string? toolPath = Environment.GetEnvironmentVariable("HERTOOLS_TOOL_PATH");
        string installed = toolPath is null ? "" : Path.Combine(toolPath, "her-tools");
        ProcessStartInfo start;
        if (File.Exists(installed)) start = new ProcessStartInfo(installed);
        else
        {
            start = new ProcessStartInfo("dotnet");
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "her-tools.dll"));
        }
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["CI"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return start;
    }

    /// <summary>Runs the tool to its end (killed after <paramref name="timeout"/>, which fails the test).</summary>
    public static CliRun Run(TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"her-tools {string.Join(' ', args)} did not end within {timeout.TotalSeconds:0} s\n{stdout.Result}\n{stderr.Result}");
        }
        process.WaitForExit();
        return new CliRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static CliRun Run(params string[] args) => Run(TimeSpan.FromSeconds(120), null, args);
}
