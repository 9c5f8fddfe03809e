namespace HerTools.Cli;

/// <summary>A command line that parses but asks for something impossible (both CONFIG and --preset,
/// a run folder that does not exist): exit code 2, nothing ran.</summary>
internal sealed class UsageException(string message) : Exception(message);
