using System.Text;
using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Envs;

namespace HerTools.Core.Training;

/// <summary>
/// Which environment plug-ins (<c>env.assembly</c>) a run was trained with: each file's SHA-256 and full path, one
/// <c>sha256  path</c> line each, as <c>sha256sum</c> writes them (so <c>sha256sum -c</c> can check them too). Every
/// checkpoint holds them in <see cref="FileName"/> and the run folder's <c>config.yaml</c> in its header comments; a
/// resume or an evaluation compares them with the files it loads.
/// </summary>
internal static class EnvPluginRecord
{
    public const string FileName = "env_assemblies.sha256";

    /// <summary>The record of <paramref name="config"/>'s plug-ins, as loaded in this process; empty without plug-ins.</summary>
    public static string Describe(RunConfig config)
    {
        var text = new StringBuilder();
        foreach (string path in config.Env.Assemblies)
            text.Append(CurrentSha256(path)).Append("  ").Append(path).Append('\n');
        return text.ToString();
    }

    /// <summary>The record as comment lines for the head of the run folder's <c>config.yaml</c>.</summary>
    public static string AsComments(RunConfig config) => string.Concat(
        Describe(config).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => "# env.assembly sha256: " + line + "\n"));

    /// <summary>Writes <see cref="FileName"/> of a checkpoint.</summary>
    public static void Write(Stream stream, RunConfig config)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        writer.Write(Describe(config));
    }

    /// <summary>
    /// Stops a resume or an evaluation whose plug-in is not the file the checkpoint was trained with, unless
    /// <paramref name="acceptChanged"/> (a deliberate choice: the run then goes on with the new file).
    /// </summary>
    /// <exception cref="EnvPluginChangedException">A plug-in is missing, or changed and not accepted.</exception>
    public static void Verify(CheckpointReader reader, bool acceptChanged)
    {
        if (!reader.Has(FileName)) return;
        using var stream = reader.OpenFile(FileName);
        Verify(reader.Info.Path, ReadBounded(reader.Info.Path, stream), acceptChanged);
    }

    /// <summary>The same check straight from a checkpoint folder, before it is opened and verified whole (a resume
    /// reads the checkpoint's config, which loads the plug-ins, before that).</summary>
    /// <exception cref="EnvPluginChangedException">A plug-in is missing, or changed and not accepted.</exception>
    public static void Verify(string checkpointPath, bool acceptChanged)
    {
        // Looked at as every checkpoint file is: a link or a FIFO in its place is refused, not followed or waited on.
        var kind = CheckpointFileAccess.KindOf(Path.Combine(checkpointPath, FileName), out long length);
        if (kind == CheckpointFileKind.Missing) return;
        if (kind != CheckpointFileKind.Regular)
            throw new CheckpointException(checkpointPath, FileName, CheckpointProblem.NotARegularFile, $"is a {kind}, not a regular file");
        using var stream = CheckpointFileAccess.OpenRegular(checkpointPath, FileName, length);
        Verify(checkpointPath, ReadBounded(checkpointPath, stream), acceptChanged);
    }

    private static void Verify(string checkpointPath, string recorded, bool acceptChanged)
    {
        foreach (string line in recorded.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int gap = line.IndexOf("  ", StringComparison.Ordinal);
            if (gap != 64) throw new CheckpointException(checkpointPath, FileName, CheckpointProblem.Malformed, "a line is not 'sha256  path'");
            string sha256 = line[..gap], path = line[(gap + 2)..];
            if (!File.Exists(path))
                throw new EnvPluginChangedException(path, $"environment plug-in {path}, which checkpoint {checkpointPath} was trained with, is missing");
            string now = CurrentSha256(path);
            if (now != sha256 && !acceptChanged)
                throw new EnvPluginChangedException(path,
                    $"environment plug-in {path} changed since checkpoint {checkpointPath} was written (SHA-256 {sha256[..12]}..., now {now[..12]}...): " +
                    "put back the file it was trained with, or accept the change deliberately " +
                    "(her-tools --accept-changed-env, PowerShell -AcceptChangedEnvironment)");
        }
    }

    // A record holds a line per plug-in; far more than this is not one.
    private const int MaxRecordBytes = 1 << 20;

    private static string ReadBounded(string checkpointPath, Stream stream)
    {
        var bytes = new byte[MaxRecordBytes + 1];
        int length = 0, read;
        while (length < bytes.Length && (read = stream.Read(bytes, length, bytes.Length - length)) > 0) length += read;
        if (length > MaxRecordBytes)
            throw new CheckpointException(checkpointPath, FileName, CheckpointProblem.Malformed, $"longer than {MaxRecordBytes} bytes");
        try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length); }
        catch (DecoderFallbackException e)
        {
            throw new CheckpointException(checkpointPath, FileName, CheckpointProblem.Malformed, "not UTF-8 text", e);
        }
    }

    // The hash of the file as it was loaded (what the environments really are), or of the file on disk.
    private static string CurrentSha256(string path) =>
        EnvPluginLoader.Loaded().FirstOrDefault(p => p.Path == path)?.Sha256 ?? EnvPluginLoader.Sha256Of(path);
}
