namespace HerTools.Core.Sweeps;

/// <summary>What a scheduler command printed and returned.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);
