using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace HerTools.Core.Config;

/// <summary>
/// Reads the YAML of configs, sweep files and <c>--set</c> values with limits, so hostile or accidental input is a
/// <see cref="ConfigException"/> naming the file and line instead of a crash: at most <see cref="MaxCharacters"/>
/// characters, nesting at most <see cref="MaxDepth"/> deep (YamlDotNet's document model recurses, and deep nesting
/// overflowed the stack), at most <see cref="MaxAliases"/> aliases, and keys that are plain scalars (an alias or a
/// mapping as a key hung the loader or failed with a cast). The limits are checked on the event stream first, which
/// YamlDotNet's parser produces without recursion; only input that passes is built into nodes.
/// </summary>
internal static class YamlReader
{
    public const int MaxCharacters = 1 << 20;
    public const int MaxDepth = 32;
    public const int MaxAliases = 64;

    /// <summary>The root node of the first document, or null for a document with nothing in it.</summary>
    /// <exception cref="ConfigException">Not valid YAML, or over a limit; with the line.</exception>
    public static YamlNode? LoadRoot(string yaml, string sourceName, string? overrideText = null)
    {
        ConfigException Error(string problem, Mark? at) => overrideText is not null
            ? new ConfigException(problem, overrideText: overrideText)
            : new ConfigException(problem, file: sourceName, line: at is null ? null : (int)at.Value.Line);

        if (yaml.Length > MaxCharacters) throw Error($"is {yaml.Length} characters long; at most {MaxCharacters} are read", null);
        CheckLimits(yaml, Error);
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw Error($"not valid YAML: {e.InnerException?.Message ?? e.Message}", e.Start); }
        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    private sealed class Collection(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;
        public bool ExpectsKey { get; set; } = isMapping;
    }

    private static void CheckLimits(string yaml, Func<string, Mark?, ConfigException> error)
    {
        var open = new Stack<Collection>();
        int aliases = 0;
        var parser = new Parser(new StringReader(yaml));
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                bool atKey = open.TryPeek(out var parent) && parent.ExpectsKey;
                switch (current)
                {
                    case MappingStart or SequenceStart:
                        if (atKey) throw error("a key must be a plain name, not a mapping or a list", current.Start);
                        if (open.Count >= MaxDepth) throw error($"nested more than {MaxDepth} levels deep", current.Start);
                        open.Push(new Collection(current is MappingStart));
                        break;
                    case MappingEnd or SequenceEnd:
                        open.Pop();
                        NodeDone(open);
                        break;
                    case AnchorAlias:
                        if (atKey) throw error("a key must be a plain name, not an alias", current.Start);
                        if (++aliases > MaxAliases) throw error($"more than {MaxAliases} aliases", current.Start);
                        NodeDone(open);
                        break;
                    case Scalar:
                        NodeDone(open);
                        break;
                }
            }
        }
        catch (YamlException e) { throw error($"not valid YAML: {e.InnerException?.Message ?? e.Message}", e.Start); }
    }

    // In a mapping, nodes alternate key, value, key, ...
    private static void NodeDone(Stack<Collection> open)
    {
        if (open.TryPeek(out var parent) && parent.IsMapping) parent.ExpectsKey = !parent.ExpectsKey;
    }
}
