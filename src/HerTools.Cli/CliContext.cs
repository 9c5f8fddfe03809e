namespace HerTools.Cli;

/// <summary>What every command writes to and listens on; tests hand in string writers.</summary>
/// <param name="Out">Results, progress and summaries.</param>
/// <param name="Error">Errors and warnings, one line each.</param>
/// <param name="Stop">Cancelled on Ctrl+C or SIGTERM.</param>
/// <param name="LiveProgress">Redraw one progress line in place (a terminal); otherwise print plain lines.</param>
internal sealed record CliContext(TextWriter Out, TextWriter Error, CancellationToken Stop, bool LiveProgress);
