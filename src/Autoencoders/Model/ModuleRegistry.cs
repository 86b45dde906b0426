using System.Collections.Concurrent;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Where your own TorchSharp modules are registered by name, so that a spec can use them as its
/// encoder or decoder (<see cref="AutoencoderSpec.WithEncoder"/>, <see cref="AutoencoderSpec.WithDecoder"/>,
/// <see cref="AutoencoderSpec.Custom"/>) and a saved model can be loaded again: the file stores the name
/// and the parameters, never code. Register each module once at start-up, in every process that builds or
/// loads such a model. Thread-safe.
/// </summary>
/// <remarks>
/// <para>An encoder maps a batch [batch, ...InputShape] to features [batch, features] (a larger rank is
/// flattened); the bottleneck adapts to whatever width it returns. A decoder maps codes [batch, LatentSize]
/// to [batch, ...InputShape] (or [batch, FeatureCount], which is reshaped) before the output activation:
/// return logits for a Bernoulli likelihood or a sigmoid output. Both are checked once, when the model is
/// built, on a batch of two zero samples in evaluation mode.</para>
/// <para>A name means one module for good: files refer to it. Registering the same factory again is
/// harmless; registering another factory under a taken name throws. Encoders and decoders have separate
/// names, so one name may serve as both.</para>
/// </remarks>
/// <example>
/// <code>
/// ModuleRegistry.RegisterEncoder&lt;ResidualMlpParameters&gt;("ResidualMlp",
///     (context, p) => new ResidualMlpEncoder(context.FeatureCount, p.Width, p.Blocks));
/// ModuleRegistry.RegisterDecoder&lt;ResidualMlpParameters&gt;("ResidualMlp",
///     (context, p) => new ResidualMlpDecoder(context.LatentSize, p.Width, p.Blocks, context.FeatureCount));
///
/// var module = ModuleSpec.Create("ResidualMlp", new ResidualMlpParameters(Width: 256, Blocks: 2));
/// var spec = AutoencoderSpec.Custom([1, 28, 28], latent: 16, encoder: module, decoder: module, output: OutputActivation.Sigmoid);
/// using var model = spec.Build(seed: 1);   // trains, saves and loads like any other model
/// </code>
/// </example>
public static class ModuleRegistry
{
    private static readonly ConcurrentDictionary<string, Registration> Encoders = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Registration> Decoders = new(StringComparer.Ordinal);

    /// <summary>Registers an encoder whose factory takes no parameters.</summary>
    /// <param name="name">The name specs use (<see cref="ModuleSpec.Name"/>).</param>
    /// <param name="factory">Builds the module for a model; called once per model built or loaded.</param>
    /// <exception cref="InvalidOperationException">Another factory is registered under <paramref name="name"/>.</exception>
    public static void RegisterEncoder(string name, Func<ModuleContext, nn.Module<Tensor, Tensor>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Register(ModuleRole.Encoder, name, parameterType: null, factory, (context, _) => factory(context));
    }

    /// <summary>Registers an encoder whose factory takes parameters of type <typeparamref name="TParameters"/>, stored in the spec as JSON.</summary>
    /// <param name="name">The name specs use (<see cref="ModuleSpec.Name"/>).</param>
    /// <param name="factory">Builds the module for a model from the spec's parameters; called once per model built or loaded.</param>
    /// <exception cref="InvalidOperationException">Another factory is registered under <paramref name="name"/>.</exception>
    public static void RegisterEncoder<TParameters>(string name, Func<ModuleContext, TParameters, nn.Module<Tensor, Tensor>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Register(ModuleRole.Encoder, name, typeof(TParameters), factory, (context, parameters) => factory(context, (TParameters)parameters!));
    }

    /// <summary>Registers a decoder whose factory takes no parameters.</summary>
    /// <param name="name">The name specs use (<see cref="ModuleSpec.Name"/>).</param>
    /// <param name="factory">Builds the module for a model; called once per model built or loaded.</param>
    /// <exception cref="InvalidOperationException">Another factory is registered under <paramref name="name"/>.</exception>
    public static void RegisterDecoder(string name, Func<ModuleContext, nn.Module<Tensor, Tensor>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Register(ModuleRole.Decoder, name, parameterType: null, factory, (context, _) => factory(context));
    }

    /// <summary>Registers a decoder whose factory takes parameters of type <typeparamref name="TParameters"/>, stored in the spec as JSON.</summary>
    /// <param name="name">The name specs use (<see cref="ModuleSpec.Name"/>).</param>
    /// <param name="factory">Builds the module for a model from the spec's parameters; called once per model built or loaded.</param>
    /// <exception cref="InvalidOperationException">Another factory is registered under <paramref name="name"/>.</exception>
    public static void RegisterDecoder<TParameters>(string name, Func<ModuleContext, TParameters, nn.Module<Tensor, Tensor>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Register(ModuleRole.Decoder, name, typeof(TParameters), factory, (context, parameters) => factory(context, (TParameters)parameters!));
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> unless <paramref name="module"/> names a registered
    /// module of this role whose parameter type reads the module's parameters.
    /// </summary>
    internal static void Validate(ModuleRole role, ModuleSpec module) => ReadParameters(Find(role, module), role, module);

    /// <summary>Builds the module a spec names.</summary>
    internal static nn.Module<Tensor, Tensor> Create(ModuleRole role, ModuleSpec module, ModuleContext context)
    {
        var registration = Find(role, module);
        var parameters = ReadParameters(registration, role, module);
        return registration.Create(context, parameters)
            ?? throw new InvalidOperationException($"The factory of the {Describe(role)} '{module.Name}' returned null; it must return a new module.");
    }

    /// <summary>Removes a registration (for tests of what happens without one).</summary>
    internal static bool Unregister(ModuleRole role, string name) => Table(role).TryRemove(name, out _);

    private static void Register(
        ModuleRole role, string name, Type? parameterType, Delegate factory, Func<ModuleContext, object?, nn.Module<Tensor, Tensor>> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var registration = new Registration(parameterType, factory, create);
        var existing = Table(role).GetOrAdd(name, registration);
        if (!ReferenceEquals(existing, registration) && (existing.ParameterType != parameterType || !existing.Factory.Equals(factory)))
        {
            throw new InvalidOperationException(
                $"Another factory is already registered as the {Describe(role)} '{name}' ({existing.Factory.Method.DeclaringType?.Name}.{existing.Factory.Method.Name}). " +
                "Saved models refer to their modules by name, so a name must always mean the same module: choose another name, or register this one once at start-up.");
        }
    }

    private static Registration Find(ModuleRole role, ModuleSpec module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (string.IsNullOrWhiteSpace(module.Name))
        {
            throw new ArgumentException($"A custom {Describe(role)} needs the name of a registered module.");
        }

        if (Table(role).TryGetValue(module.Name, out var registration))
        {
            return registration;
        }

        var registered = Table(role).Keys.Order(StringComparer.Ordinal).Select(n => $"'{n}'").ToArray();
        var method = role == ModuleRole.Encoder ? nameof(RegisterEncoder) : nameof(RegisterDecoder);
        throw new ArgumentException(
            $"The spec's {Describe(role)} is the module '{module.Name}', which is not registered in this process. " +
            $"Register its factory once at start-up, before building or loading the model: " +
            $"ModuleRegistry.{method}(\"{module.Name}\", context => new YourModule(...)), or " +
            $"ModuleRegistry.{method}<TParameters>(\"{module.Name}\", (context, parameters) => new YourModule(...)) when the spec carries parameters" +
            $"{(module.Parameters is { } json ? $" (it carries {json.GetRawText()})" : string.Empty)}. " +
            $"Registered {Describe(role)}s: {(registered.Length == 0 ? "none" : string.Join(", ", registered))}.");
    }

    private static object? ReadParameters(Registration registration, ModuleRole role, ModuleSpec module)
    {
        if (registration.ParameterType is null)
        {
            return module.Parameters is null || module.Parameters.Value.ValueKind == JsonValueKind.Null
                ? null
                : throw new ArgumentException(
                    $"The {Describe(role)} '{module.Name}' was registered without parameters, but the spec gives it {module.Parameters.Value.GetRawText()}.");
        }

        var typeName = registration.ParameterType.Name;
        if (module.Parameters is not { ValueKind: not JsonValueKind.Null } json)
        {
            throw new ArgumentException(
                $"The {Describe(role)} '{module.Name}' takes parameters of type {typeName}, but the spec gives none: use ModuleSpec.Create(\"{module.Name}\", new {typeName}(...)).");
        }

        try
        {
            return json.Deserialize(registration.ParameterType, AutoencoderSpec.JsonOptions)
                ?? throw new ArgumentException($"The parameters of the {Describe(role)} '{module.Name}' are null; it takes a {typeName}.");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The parameters of the {Describe(role)} '{module.Name}' do not fit its type {typeName}: {e.Message}", e);
        }
    }

    private static ConcurrentDictionary<string, Registration> Table(ModuleRole role) => role == ModuleRole.Encoder ? Encoders : Decoders;

    private static string Describe(ModuleRole role) => role == ModuleRole.Encoder ? "encoder" : "decoder";

    private sealed record Registration(Type? ParameterType, Delegate Factory, Func<ModuleContext, object?, nn.Module<Tensor, Tensor>> Create);
}
