using System.Text.Json;

namespace Autoencoders.Model;

/// <summary>
/// A module of your own, named in a spec: the name it was registered under with
/// <see cref="ModuleRegistry"/> and its parameters as JSON, so that the spec (and every file that holds
/// it) stays plain JSON and rebuilds the same module wherever that name is registered.
/// </summary>
/// <example>
/// <code>
/// public sealed record ResidualMlpParameters(int Width, int Blocks);
///
/// ModuleRegistry.RegisterEncoder&lt;ResidualMlpParameters&gt;("ResidualMlp", (context, p) => new ResidualMlp(context.FeatureCount, p.Width, p.Blocks));
/// var encoder = ModuleSpec.Create("ResidualMlp", new ResidualMlpParameters(Width: 256, Blocks: 2));
/// // in the spec's JSON: {"name":"ResidualMlp","parameters":{"width":256,"blocks":2}}
/// </code>
/// </example>
public sealed record ModuleSpec
{
    /// <summary>The name the module's factory is registered under.</summary>
    public required string Name { get; init; }

    /// <summary>The factory's parameters as JSON; null for a factory without parameters.</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>A module whose factory takes no parameters.</summary>
    public static ModuleSpec Create(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new ModuleSpec { Name = name };
    }

    /// <summary>A module whose factory takes <paramref name="parameters"/>, stored as JSON (camelCase, enums as names).</summary>
    public static ModuleSpec Create<TParameters>(string name, TParameters parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(parameters);
        return new ModuleSpec { Name = name, Parameters = JsonSerializer.SerializeToElement(parameters, AutoencoderSpec.JsonOptions) };
    }

    /// <inheritdoc />
    public bool Equals(ModuleSpec? other) =>
        other is not null && Name == other.Name && (Parameters, other.Parameters) switch
        {
            (null, null) => true,
            ({ } a, { } b) => JsonElement.DeepEquals(a, b),
            _ => false,
        };

    /// <inheritdoc />
    public override int GetHashCode() => Name?.GetHashCode(StringComparison.Ordinal) ?? 0;
}
