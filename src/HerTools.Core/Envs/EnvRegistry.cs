using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace HerTools.Core.Envs;

/// <summary>
/// Environment ids with keyword options, as Gymnasium's <c>gymnasium.make(id, **kwargs)</c>:
/// the built-ins (<c>PointGoal-v0</c>, <c>BitFlip-v0</c>, <c>Push2D-v0</c>) are always there, users add theirs with
/// <see cref="Register(EnvSpec)"/> or <see cref="RegisterFromAssembly"/>. Safe to use from several threads.
/// </summary>
public static class EnvRegistry
{
    private static readonly Lock Gate = new();
    // Origin says who registered an id: registering again from the same class or factory type (e.g. an
    // assembly loaded a second time) replaces the entry, the same EnvSpec object is a no-op, anything else is refused.
    private static readonly Dictionary<string, (EnvSpec Spec, Origin Origin)> Specs = new(StringComparer.Ordinal);

    private sealed record Origin(string Kind, string? TypeName)
    {
        // Hand-made specs never share an origin: each is its own registration.
        public bool SameAs(Origin other) => Kind != "spec" && this == other;
        public override string ToString() => TypeName is null ? "by an EnvSpec" : $"by {Kind} {TypeName}";
    }


    static EnvRegistry()
    {
        Register(typeof(PointGoalEnv));
        Register(typeof(BitFlipEnv));
        Register(typeof(Push2DEnv));
    }

    /// <summary>Every registered environment, ordered by id.</summary>
    public static IReadOnlyList<EnvSpec> List()
    {
        lock (Gate) return Specs.Values.Select(e => e.Spec).OrderBy(s => s.Id, StringComparer.Ordinal).ToArray();
    }

    /// <exception cref="UnknownEnvironmentException">No environment has this id.</exception>
    public static EnvSpec Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (Gate)
        {
            if (Specs.TryGetValue(id, out var entry)) return entry.Spec;
            throw new UnknownEnvironmentException(id, Specs.Keys.Order(StringComparer.Ordinal).ToArray());
        }
    }

    /// <summary>
    /// Makes the environment <paramref name="id"/> with keyword options. Values are converted leniently to
    /// each option's type (see <see cref="EnvOption.Convert"/>); options not given take their defaults.
    /// </summary>
    /// <exception cref="UnknownEnvironmentException">No environment has this id.</exception>
    /// <exception cref="EnvOptionException">An option is unknown, missing, of the wrong type or out of range.</exception>
    /// <exception cref="HerToolsException">The environment's own constructor failed (the cause is the inner exception).</exception>
    public static IGoalEnv Make(string id, IReadOnlyDictionary<string, object?>? options = null)
    {
        EnvSpec spec = Get(id);
        var resolved = ResolveOptions(spec, options);
        IGoalEnv env;
        try
        {
            env = spec.Create(resolved);
        }
        catch (HerToolsException) { throw; }
        catch (Exception ex)
        {
            throw new HerToolsException($"{id}: making the environment failed: {ex.Message}", ex);
        }
        return env ?? throw new HerToolsException($"{id}: the factory returned no environment");
    }

    /// <summary>Every declared option, converted, with defaults for those not given.</summary>
    /// <exception cref="EnvOptionException">An option is unknown, missing, of the wrong type or out of range.</exception>
    public static IReadOnlyDictionary<string, object> ResolveOptions(EnvSpec spec, IReadOnlyDictionary<string, object?>? options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (options is not null)
        {
            foreach (string name in options.Keys)
            {
                if (spec.FindOption(name) is null)
                {
                    string known = spec.Options.Count == 0 ? "it takes no options" : "its options are " + string.Join(", ", spec.Options.Select(o => o.Name));
                    throw new EnvOptionException(spec.Id, name, $"is unknown; {known}");
                }
            }
        }
        var resolved = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var option in spec.Options)
        {
            if (options is not null && options.TryGetValue(option.Name, out object? given))
                resolved[option.Name] = option.Convert(given, spec.Id);
            else if (option.Default is not null)
                resolved[option.Name] = option.Convert(option.Default, spec.Id);
            else
                throw new EnvOptionException(spec.Id, option.Name, $"is required ({option.Expected()})");
        }
        return resolved;
    }

    /// <summary>Registers an environment described by hand. Registering the same spec again is a no-op.</summary>
    /// <exception cref="EnvRegistrationException">The spec is malformed or its id is taken.</exception>
    public static EnvSpec Register(EnvSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Validate(spec);
        lock (Gate)
        {
            if (Specs.TryGetValue(spec.Id, out var existing) && ReferenceEquals(existing.Spec, spec)) return spec;
            CheckFree(spec.Id, new Origin("spec", null));
            Specs[spec.Id] = (spec, new Origin("spec", null));
            return spec;
        }
    }

    /// <summary>Registers a factory (see <see cref="IGoalEnvFactory"/>).</summary>
    /// <exception cref="EnvRegistrationException">The factory's description is malformed or its id is taken.</exception>
    public static EnvSpec Register(IGoalEnvFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var spec = new EnvSpec(factory.Id, factory.Description, factory.Options.ToArray(), factory.DefaultMaxEpisodeSteps, factory.Create);
        Validate(spec);
        return Add(spec, new Origin("factory", factory.GetType().FullName));
    }

    /// <summary>Registers a class marked with <see cref="GoalEnvironmentAttribute"/> (public or not).</summary>
    /// <exception cref="EnvRegistrationException">The class is not marked, not an <see cref="IGoalEnv"/>,
    /// its constructor cannot be turned into options, or its id is taken.</exception>
    public static EnvSpec Register(Type environmentType)
    {
        ArgumentNullException.ThrowIfNull(environmentType);
        var spec = SpecFromAttributes(environmentType);
        Validate(spec);
        return Add(spec, new Origin("class", environmentType.FullName));
    }

    /// <summary>
    /// Registers every public class of <paramref name="assembly"/> marked with <see cref="GoalEnvironmentAttribute"/>
    /// and every public <see cref="IGoalEnvFactory"/> with a public parameterless constructor. Calling it again
    /// for the same assembly is harmless. Returns the specs registered.
    /// </summary>
    /// <exception cref="EnvRegistrationException">A class cannot be registered; none of the assembly's are then.</exception>
    public static IReadOnlyList<EnvSpec> RegisterFromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        Type[] types;
        try { types = assembly.GetExportedTypes(); }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or NotSupportedException)
        {
            throw new EnvRegistrationException($"Cannot read the types of {assembly.GetName().Name}: {ex.Message}", ex);
        }

        // Build every spec first, so a faulty class leaves the registry as it was.
        var found = new List<(EnvSpec Spec, Origin Origin)>();
        foreach (var type in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (type.IsAbstract || !type.IsClass) continue;
            if (type.GetCustomAttribute<GoalEnvironmentAttribute>() is not null)
            {
                found.Add((SpecFromAttributes(type), new Origin("class", type.FullName)));
            }
            else if (typeof(IGoalEnvFactory).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is ConstructorInfo make)
            {
                IGoalEnvFactory factory;
                try { factory = (IGoalEnvFactory)make.Invoke(null); }
                catch (TargetInvocationException ex)
                {
                    throw new EnvRegistrationException($"{type.FullName}: constructing the factory failed: {ex.InnerException?.Message}", ex.InnerException);
                }
                found.Add((new EnvSpec(factory.Id, factory.Description, factory.Options.ToArray(), factory.DefaultMaxEpisodeSteps, factory.Create),
                    new Origin("factory", type.FullName)));
            }
        }
        foreach (var (spec, _) in found) Validate(spec);
        var duplicate = found.GroupBy(f => f.Spec.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new EnvRegistrationException($"{assembly.GetName().Name} declares '{duplicate.Key}' more than once");

        lock (Gate)
        {
            foreach (var (spec, origin) in found) CheckFree(spec.Id, origin);
            foreach (var (spec, origin) in found) Specs[spec.Id] = (spec, origin);
        }
        return found.Select(f => f.Spec).ToArray();
    }

    private static EnvSpec Add(EnvSpec spec, Origin origin)
    {
        lock (Gate)
        {
            CheckFree(spec.Id, origin);
            Specs[spec.Id] = (spec, origin);
            return spec;
        }
    }

    // Caller holds Gate.
    private static void CheckFree(string id, Origin origin)
    {
        if (Specs.TryGetValue(id, out var existing) && !existing.Origin.SameAs(origin))
            throw new EnvRegistrationException($"'{id}' is already registered ({existing.Origin}); choose another id");
    }

    private static void Validate(EnvSpec spec)
    {
        string id = spec.Id ?? "";
        if (id.Length == 0 || id.Any(char.IsWhiteSpace))
            throw new EnvRegistrationException($"'{id}' is not a valid environment id: it must be non-empty and have no spaces, e.g. MyEnv-v0");
        if (spec.Description is null) throw new EnvRegistrationException($"{id}: the description is null");
        if (spec.Create is null) throw new EnvRegistrationException($"{id}: the factory is null");
        if (spec.DefaultMaxEpisodeSteps < 1)
            throw new EnvRegistrationException($"{id}: the default max episode steps must be at least 1, got {spec.DefaultMaxEpisodeSteps}");
        if (spec.Options is null) throw new EnvRegistrationException($"{id}: the option list is null");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in spec.Options)
        {
            if (option is null || string.IsNullOrWhiteSpace(option.Name))
                throw new EnvRegistrationException($"{id}: an option has no name");
            if (!names.Add(option.Name)) throw new EnvRegistrationException($"{id}: option '{option.Name}' is declared twice");
            if (option.Default is not null)
            {
                try { option.Convert(option.Default, id); }
                catch (EnvOptionException ex)
                {
                    throw new EnvRegistrationException($"{id}: the default of option '{option.Name}' is invalid: {ex.Message}", ex);
                }
            }
        }
    }

    private static EnvSpec SpecFromAttributes(Type type)
    {
        string name = type.FullName ?? type.Name;
        var marker = type.GetCustomAttribute<GoalEnvironmentAttribute>()
            ?? throw new EnvRegistrationException($"{name} is not marked with [GoalEnvironment(\"Id-v0\")]");
        string id = marker.Id;
        if (!typeof(IGoalEnv).IsAssignableFrom(type) || type.IsAbstract || !type.IsClass)
            throw new EnvRegistrationException($"{id}: {name} must be a concrete class implementing IGoalEnv");

        var constructors = type.GetConstructors();
        if (constructors.Length == 0) throw new EnvRegistrationException($"{id}: {name} has no public constructor");
        int most = constructors.Max(c => c.GetParameters().Length);
        var widest = constructors.Where(c => c.GetParameters().Length == most).ToArray();
        if (widest.Length > 1)
            throw new EnvRegistrationException($"{id}: {name} has {widest.Length} public constructors with {most} parameters; the options come from the one " +
                "with the most");
        var constructor = widest[0];
        var parameters = constructor.GetParameters();

        var options = new List<EnvOption>();
        foreach (var p in parameters)
        {
            EnvOptionType optionType = p.ParameterType switch
            {
                var t when t == typeof(bool) => EnvOptionType.Bool,
                var t when t == typeof(int) => EnvOptionType.Int,
                var t when t == typeof(double) || t == typeof(float) => EnvOptionType.Double,
                var t when t == typeof(string) => EnvOptionType.String,
                var t => throw new EnvRegistrationException(
                    $"{id}: constructor parameter '{p.Name}' of {name} has type {t.Name}; options can be bool, int, double, float or string"),
            };
            object? defaultValue = p.HasDefaultValue ? p.DefaultValue : null;
            if (defaultValue is float f) defaultValue = (double)f;
            var range = p.GetCustomAttribute<RangeAttribute>();
            options.Add(new EnvOption(SnakeCase(p.Name!), optionType, defaultValue, p.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "")
            {
                Minimum = range is null ? null : System.Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture),
                Maximum = range is null ? null : System.Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture),
            });
        }

        IGoalEnv Create(IReadOnlyDictionary<string, object> resolved)
        {
            var arguments = new object?[parameters.Length];
            for (int i = 0; i < parameters.Length; i++)
            {
                object value = resolved[options[i].Name];
                arguments[i] = parameters[i].ParameterType == typeof(float) ? (float)(double)value : value;
            }
            try
            {
                return (IGoalEnv)constructor.Invoke(arguments);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is ArgumentException arg && parameters.Any(p => p.Name == arg.ParamName))
            {
                // The constructor refused one argument: report it under the option's name.
                int index = Array.FindIndex(parameters, p => p.Name == arg.ParamName);
                string problem = arg is ArgumentOutOfRangeException range && range.ActualValue is not null
                    ? $"is out of range, got {System.Convert.ToString(range.ActualValue, CultureInfo.InvariantCulture)}: {FirstLine(arg.Message)}"
                    : $"is invalid: {FirstLine(arg.Message)}";
                throw new EnvOptionException(id, options[index].Name, problem, arg);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw new HerToolsException($"{id}: making the environment failed: {ex.InnerException.Message}", ex.InnerException);
            }
        }

        string description = marker.Description.Length > 0 ? marker.Description
            : type.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "";
        int maxEpisodeSteps = marker.MaxEpisodeSteps;
        if (maxEpisodeSteps <= 0)
        {
            var probe = new EnvSpec(id, description, options, 1, Create);
            try
            {
                maxEpisodeSteps = Create(ResolveOptions(probe, null)).MaxEpisodeSteps;
            }
            catch (HerToolsException ex)
            {
                throw new EnvRegistrationException(
                    $"{id}: cannot make {name} with default options to read its MaxEpisodeSteps; set [GoalEnvironment(MaxEpisodeSteps = ...)]: " +
                    $"{ex.Message}", ex);
            }
        }
        return new EnvSpec(id, description, options, maxEpisodeSteps, Create);
    }

    // The message of an ArgumentException ends with " (Parameter 'x')" and, for ranges, "Actual value was y.".
    private static string FirstLine(string message)
    {
        int cut = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    /// <summary><c>nBits</c> to <c>n_bits</c>, <c>maxXYSteps</c> to <c>max_xy_steps</c>: option names follow the YAML keys' style.</summary>
    internal static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool afterWordChar = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                bool endsAcronym = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (afterWordChar || endsAcronym) text.Append('_');
                text.Append(char.ToLowerInvariant(c));
            }
            else text.Append(c);
        }
        return text.ToString();
    }
}
