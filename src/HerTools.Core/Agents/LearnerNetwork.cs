namespace HerTools.Core.Agents;

/// <summary>One network of a learner: its name in saved-state messages, the optimiser that moves it (its online
/// network's, for a target), which bounds how far its parameters can have gone, and for a target the online network it follows.</summary>
internal sealed record LearnerNetwork(string Name, Mlp Network, FlatAdam MovedBy, Mlp? Follows = null);
