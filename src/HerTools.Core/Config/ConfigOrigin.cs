namespace HerTools.Core.Config;

/// <summary>Where a config value was written: a file and line, or an override.</summary>
internal readonly record struct ConfigOrigin(string? File, int? Line, string? Override);
