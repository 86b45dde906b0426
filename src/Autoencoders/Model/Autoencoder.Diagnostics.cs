using Autoencoders.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>Diagnostics of the failure modes autoencoders are known for.</summary>
public partial class Autoencoder
{
    /// <summary>The name of the active-units diagnostic.</summary>
    public const string ActiveUnitsDiagnostic = "active_units";

    /// <summary>
    /// The number of active latent units (Burda et al., 2016): units whose posterior mean varies across
    /// the data with variance above <paramref name="threshold"/>. A VAE whose active units fall to
    /// (nearly) zero has suffered posterior collapse: its decoder ignores the code.
    /// </summary>
    public int ActiveUnits(Data.DataSource data, double threshold = 0.01)
    {
        ArgumentNullException.ThrowIfNull(data);
        var codes = Encode(data);
        if (codes.GetLength(0) < 2)
        {
            throw new ArgumentException("Counting active units needs at least two samples.", nameof(data));
        }

        return CountActive(codes, threshold);
    }

    /// <summary>
    /// Figures the trainer reports after each epoch: nothing for a deterministic model (a
    /// <see cref="VariationalAutoencoder"/> reports its active units).
    /// </summary>
    /// <param name="data">The data, in its own units (the scaler applies).</param>
    /// <param name="maxSamples">Only the first this many samples are encoded.</param>
    internal virtual IReadOnlyDictionary<string, double> Diagnose(Data.DataSource data, int maxSamples) =>
        new Dictionary<string, double>();

    private protected static int CountActive(float[,] codes, double threshold)
    {
        using var scope = torch.NewDisposeScope();
        var variance = torch.tensor(codes).to_type(ScalarType.Float64).var(0, unbiased: true);
        return (int)variance.Gt(threshold).sum().item<long>();
    }

    /// <summary>
    /// Warnings about known failure modes, from the spec and from the latest diagnostics: a code at least
    /// as wide as the input with nothing to stop the identity map, and posterior collapse.
    /// </summary>
    public IReadOnlyList<string> Warnings(IReadOnlyDictionary<string, double>? diagnostics = null)
    {
        var warnings = new List<string>();
        if (LatentSize >= FeatureCount && Spec.Corruption is null && Spec.Penalties.Count == 0 && !bottleneck.IsStochastic)
        {
            warnings.Add(
                $"The code ({LatentSize} units) is at least as wide as the input ({FeatureCount} features) and nothing regularises it: " +
                "the model can learn the identity map and nothing useful. Narrow the code, add input corruption (WithCorruption) or a penalty (sparsity, contractive).");
        }

        if (diagnostics is not null && diagnostics.TryGetValue(ActiveUnitsDiagnostic, out var active) && active < Math.Min(2, LatentSize))
        {
            warnings.Add(
                $"Posterior collapse: only {active:0} of {LatentSize} latent units are active (their posterior means barely vary across the data), so the decoder ignores the code. " +
                "Lower β, add KL warm-up (WarmupEpochs), or use a less powerful decoder.");
        }

        return warnings;
    }
}
