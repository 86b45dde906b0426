using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using Autoencoders.Model;
using Autoencoders.Training;

namespace Autoencoders.Tests.Architecture;

/// <summary>
/// Keeps the library's layers as docs/architecture.md draws them: each namespace may use only the
/// namespaces listed for it, so a new cycle (Model using Persistence, Data using Model, ...) fails CI.
/// Dependencies are read from signatures and method bodies alike (ArchUnitNET).
/// </summary>
public sealed class LayerDependencyTests
{
    /// <summary>
    /// Which layers each layer may use, besides itself and the root namespace (<c>Autoencoders</c>, which
    /// holds only <see cref="NativeRuntimeException"/>). Keep this table and docs/architecture.md in step.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["Native"] = [],
        ["Linear"] = [],
        ["Evaluation"] = ["Data", "Native"],
        ["Data"] = ["Native"],
        ["Model"] = ["Data", "Native"],
        ["Persistence"] = ["Model", "Data", "Native"],
        ["Training"] = ["Model", "Data", "Persistence", "Native"],
        ["Applications"] = ["Training", "Model", "Data", "Persistence", "Evaluation", "Linear", "Native"],
        ["Export"] = ["Applications", "Model", "Data", "Persistence", "Native", "Onnx"],
    };

    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Library = new(() =>
        new ArchLoader().LoadAssemblies(typeof(Autoencoder).Assembly).Build());

    [Fact]
    public void Every_namespace_of_the_library_has_a_place_in_the_table()
    {
        var layers = LibraryTypes().Select(t => LayerOf(t.Namespace.FullName)).Where(l => l is not null).Distinct();

        layers.Should().OnlyContain(l => l == Root || l == GeneratedOnnx || Allowed.ContainsKey(l!),
            "every namespace needs a row in the table and in docs/architecture.md");
    }

    [Fact]
    public void Each_layer_uses_only_the_layers_it_is_allowed_to()
    {
        var violations = new List<string>();
        foreach (var type in LibraryTypes())
        {
            var from = LayerOf(type.Namespace.FullName);
            if (from is null || from == Root || from == GeneratedOnnx)
            {
                continue;
            }

            foreach (var target in type.Dependencies.Select(d => d.Target).Where(IsLibraryType).Select(t => t.FullName).Distinct())
            {
                var to = LayerOf(NamespaceOf(target));
                if (to is not null && to != from && to != Root && !(Allowed.TryGetValue(from, out var allowed) && allowed.Contains(to)))
                {
                    violations.Add($"{type.FullName} ({from}) uses {target} ({to})");
                }
            }
        }

        violations.Should().BeEmpty("docs/architecture.md says which layer may use which");
    }

    [Fact]
    public void The_linear_baseline_needs_no_TorchSharp()
    {
        var torch = LibraryTypes()
            .Where(t => LayerOf(t.Namespace.FullName) == "Linear")
            .SelectMany(t => t.Dependencies.Select(d => $"{t.FullName} uses {d.Target.FullName}"))
            .Where(line => line.Contains(" uses TorchSharp", StringComparison.Ordinal));

        torch.Should().BeEmpty("the PCA baseline is MathNet.Numerics only, so that it runs and tests without libtorch");
    }

    [Fact]
    public void The_trainer_knows_no_variant()
    {
        // The axes of the variant grid: the trainer asks the model for loss terms and never looks at these.
        System.Type[] axes = [typeof(BackboneSpec), typeof(BottleneckSpec), typeof(CorruptionSpec), typeof(PenaltySpec), typeof(Encoder), typeof(Decoder), typeof(Bottleneck), typeof(VariationalAutoencoder)];
        var variantTypes = typeof(Autoencoder).Assembly.GetTypes()
            .Where(t => axes.Any(axis => axis.IsAssignableFrom(t)))
            .Select(t => t.FullName!.Replace('+', '/'))
            .ToHashSet();
        var trainer = LibraryTypes().Where(t => t.FullName.StartsWith(typeof(Trainer).FullName!, StringComparison.Ordinal));

        var uses = trainer.SelectMany(t => t.Dependencies.Select(d => d.Target.FullName)).Where(variantTypes.Contains).Distinct();

        trainer.Should().NotBeEmpty();
        uses.Should().BeEmpty("one trainer trains every variant through Autoencoder.ComputeLoss");
    }

    private const string Root = "(root)";
    private const string GeneratedOnnx = "Onnx";

    private static IEnumerable<IType> LibraryTypes() => Library.Value.Types.Where(IsLibraryType);

    private static bool IsLibraryType(IType type) =>
        type.Assembly?.FullName == typeof(Autoencoder).Assembly.FullName;

    /// <summary>The layer of a namespace: its first segment after "Autoencoders" (the ONNX protobuf types are generated into "Onnx").</summary>
    private static string? LayerOf(string ns)
    {
        if (ns == "Autoencoders")
        {
            return Root;
        }

        if (ns == GeneratedOnnx || ns.StartsWith(GeneratedOnnx + ".", StringComparison.Ordinal))
        {
            return GeneratedOnnx;
        }

        return ns.StartsWith("Autoencoders.", StringComparison.Ordinal) ? ns["Autoencoders.".Length..].Split('.')[0] : null;
    }

    private static string NamespaceOf(string fullName)
    {
        var name = fullName.Split('<')[0].Split('/')[0];
        var dot = name.LastIndexOf('.');
        return dot < 0 ? string.Empty : name[..dot];
    }
}
