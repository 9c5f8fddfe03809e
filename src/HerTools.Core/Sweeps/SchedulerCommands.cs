using System.ComponentModel;
using System.Diagnostics;

namespace HerTools.Core.Sweeps;

/// <summary>Runs scheduler commands (<c>sbatch</c>, <c>squeue</c>, ...) with argument lists, never through a shell.</summary>
internal static class SchedulerCommands
{
    /// <summary>Runs the command to its end; cancelling <paramref name="cancellationToken"/> kills it and throws
    /// <see cref="OperationCanceledException"/>.</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try { process = Process.Start(start) ?? throw new SweepException($"{fileName}: could not be started"); }
        catch (Win32Exception e) { throw new SweepException($"{fileName}: cannot run it ({e.Message}); is Slurm installed and on PATH?", e); }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using (cancellationToken.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
            {
                if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
                {
                    process.Kill(entireProcessTree: true);
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new SweepException($"{fileName} {string.Join(' ', start.ArgumentList)}: no answer within " +
                        $"{(timeout ?? TimeSpan.FromMinutes(2)).TotalSeconds:0} s");
                }
                process.WaitForExit();
            }
            cancellationToken.ThrowIfCancellationRequested();
            return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>True when <paramref name="fileName"/> runs and exits 0 (used to tell whether Slurm answers).</summary>
    public static bool Answers(string fileName, params string[] arguments)
    {
        try { return Run(fileName, arguments, TimeSpan.FromSeconds(30)).ExitCode == 0; }
        catch (SweepException) { return false; }
    }
}
