using Autoencoders.Model;
using Autoencoders.Training;

namespace Autoencoders.Applications;

/// <summary>Configures <see cref="AnomalyDetector.Fit(float[,], AnomalyDetectorOptions?, IProgress{EpochReport}?, CancellationToken)"/>.</summary>
/// <example>
/// <code>
/// var options = AnomalyDetectorOptions.Default with { Threshold = Threshold.Contamination(0.01) };
/// </code>
/// </example>
public sealed record AnomalyDetectorOptions
{
    /// <summary>
    /// The defaults: an architecture chosen from the data's shape, automatic scaling, and a false-positive
    /// rate of at most 1 % (split-conformal on 20 % held-out rows; needs at least 493 clean rows).
    /// </summary>
    public static AnomalyDetectorOptions Default { get; } = new();

    /// <summary>The model to train; null to choose one from the data's shape (see <see cref="DefaultArchitecture"/>).</summary>
    public AutoencoderSpec? Spec { get; init; }

    /// <summary>How the data is scaled before training (the scaler is saved with the detector).</summary>
    public Scaling Scaling { get; init; } = Scaling.Auto;

    /// <summary>What samples are scored by; the likelihood-based scores need a variational spec.</summary>
    public AnomalyScoreKind Score { get; init; } = AnomalyScoreKind.ReconstructionError;

    /// <summary>How scores become decisions; <see cref="Threshold.FalsePositiveRate"/>(0.01) by default.</summary>
    public Threshold Threshold { get; init; } = Threshold.FalsePositiveRate(0.01);

    /// <summary>The training run; <see cref="DefaultArchitecture.Training"/> when null.</summary>
    public TrainerOptions? Training { get; init; }

    /// <summary>Optional names of the features (columns), used by explanations.</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>Seeds the weights, the calibration split, shuffling and noise.</summary>
    public long Seed { get; init; }

    /// <summary>
    /// Where the model trains and computes: <c>"cpu"</c> (the default), <c>"cuda"</c> or <c>"cuda:N"</c>,
    /// which need a CUDA backend package (TorchSharp-cuda-linux or TorchSharp-cuda-windows) in the
    /// application. Scores and arrays come back the same way from any device.
    /// </summary>
    public string Device { get; init; } = "cpu";
}
