namespace HerTools.Core.Training;

/// <summary>One evaluation episode.</summary>
public sealed record EpisodeRecord(int Index, ulong Seed, bool Success, double Return, double FinalDistance, int Length);
