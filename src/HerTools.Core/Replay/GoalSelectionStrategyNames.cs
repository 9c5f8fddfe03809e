namespace HerTools.Core.Replay;

/// <summary>The config names of <see cref="GoalSelectionStrategy"/> (<c>goal_selection_strategy</c> in SB3 and in our YAML).</summary>
public static class GoalSelectionStrategyNames
{
    /// <summary>Every accepted name, in the enum's order.</summary>
    public static IReadOnlyList<string> All { get; } = ["future", "final", "episode"];

    /// <summary>Reads <c>future</c>, <c>final</c> or <c>episode</c> (case-insensitive, surrounding blanks ignored).</summary>
    public static bool TryParse(string? name, out GoalSelectionStrategy strategy)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "future": strategy = GoalSelectionStrategy.Future; return true;
            case "final": strategy = GoalSelectionStrategy.Final; return true;
            case "episode": strategy = GoalSelectionStrategy.Episode; return true;
            default: strategy = default; return false;
        }
    }

    /// <summary>Like <see cref="TryParse"/>, but an unknown name throws an <see cref="ArgumentException"/> that lists the accepted ones.</summary>
    public static GoalSelectionStrategy Parse(string? name) =>
        TryParse(name, out var strategy)
            ? strategy
            : throw new ArgumentException($"unknown goal_selection_strategy '{name}': expected one of {string.Join(", ", All)}", nameof(name));

    /// <summary>The config name of a strategy: <c>future</c>, <c>final</c> or <c>episode</c>.</summary>
    public static string ToConfigName(this GoalSelectionStrategy strategy) => strategy switch
    {
        GoalSelectionStrategy.Future => "future",
        GoalSelectionStrategy.Final => "final",
        GoalSelectionStrategy.Episode => "episode",
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "not a goal selection strategy"),
    };
}
