using Autoencoders.Applications;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Google.Protobuf;

namespace Autoencoders.Export;

/// <summary>
/// Exports trained models to ONNX (opset 17, a dynamic batch axis, the scaler folded in), so that they
/// run wherever ONNX Runtime runs: web services, other languages, edge devices, ML.NET — without TorchSharp.
/// </summary>
/// <example>
/// <code>
/// using Autoencoders.Export;
///
/// model.ExportOnnx("model.onnx");                                               // reconstruction
/// model.ExportOnnx("encoder.onnx", new OnnxExportOptions { Part = OnnxPart.Encoder });
/// detector.ExportOnnx("detector.onnx");                                         // score and is_anomaly
///
/// // Anywhere, with only the Microsoft.ML.OnnxRuntime package:
/// using var session = new InferenceSession("detector.onnx");
/// </code>
/// </example>
/// <remarks>
/// Every built-in backbone, bottleneck, activation and output activation exports; corruption and dropout
/// are training-only and are left out; a variational encoder gives its posterior mean. A module the
/// exporter does not know (a custom one) fails with a <see cref="NotSupportedException"/> naming it.
/// The graphs compute what the TorchSharp model computes, in float32, to within rounding (the tests
/// compare them through ONNX Runtime at 1e-5).
/// </remarks>
public static class OnnxExport
{
    /// <summary>Writes the model (or the part <paramref name="options"/> names) as an ONNX file, atomically.</summary>
    /// <exception cref="NotSupportedException">A module of the model has no exporter.</exception>
    /// <exception cref="ArgumentException">The options do not fit the model (see <see cref="OnnxExportOptions"/>).</exception>
    public static void ExportOnnx(this Autoencoder model, string path, OnnxExportOptions? options = null) =>
        Write(path, model.ToOnnx(options));

    /// <summary>The model (or the part <paramref name="options"/> names) as the bytes of an ONNX file.</summary>
    /// <exception cref="NotSupportedException">A module of the model has no exporter.</exception>
    /// <exception cref="ArgumentException">The options do not fit the model.</exception>
    public static byte[] ToOnnx(this Autoencoder model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        var part = options.Part ?? OnnxPart.Full;
        if (part == OnnxPart.Detector)
        {
            throw new ArgumentException("The detector part needs a threshold: export an AnomalyDetector (detector.ExportOnnx) rather than its model.", nameof(options));
        }

        return Serialize(model, part, options, decision: null);
    }

    /// <summary>Writes the detector's decision graph (or the part <paramref name="options"/> names) as an ONNX file, atomically.</summary>
    /// <exception cref="NotSupportedException">The detector does not score by reconstruction error, or a module has no exporter.</exception>
    public static void ExportOnnx(this AnomalyDetector detector, string path, OnnxExportOptions? options = null) =>
        Write(path, detector.ToOnnx(options));

    /// <summary>
    /// The detector as the bytes of an ONNX file: by default its decision graph, with outputs <c>score</c>
    /// (the reconstruction error, as <see cref="AnomalyDetector.Score(float[,])"/> gives it) and
    /// <c>is_anomaly</c> (score &gt; <see cref="AnomalyDetector.DecisionThreshold"/>, as
    /// <see cref="AnomalyDetector.Predict(float[,])"/>). The threshold, its rule and the feature names are
    /// also in the model's metadata (<c>autoencoders.threshold</c>, ...).
    /// </summary>
    /// <exception cref="NotSupportedException">
    /// The detector scores by a VAE's ELBO or likelihood, which draw random samples per row; only the
    /// reconstruction error exports.
    /// </exception>
    public static byte[] ToOnnx(this AnomalyDetector detector, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(detector);
        options ??= new OnnxExportOptions();
        var part = options.Part ?? OnnxPart.Detector;
        if (part != OnnxPart.Detector)
        {
            return detector.Model.ToOnnx(options with { Part = part });
        }

        if (detector.ScoreKind != AnomalyScoreKind.ReconstructionError)
        {
            throw new NotSupportedException(
                $"ONNX export: this detector scores by {detector.ScoreKind}, which draws random samples for each row; only a {AnomalyScoreKind.ReconstructionError} detector exports its decision. Export its model's parts instead, or fit a detector with Score = ReconstructionError.");
        }

        var decision = new DetectorDecision(detector.DecisionThreshold, detector.ThresholdRule, detector.FeatureNames);
        return Serialize(detector.Model, part, options, decision);
    }

    private static byte[] Serialize(Autoencoder model, OnnxPart part, OnnxExportOptions options, DetectorDecision? decision)
    {
        if (!Enum.IsDefined(part))
        {
            throw new ArgumentException($"Unknown part {part}.", nameof(options));
        }

        model.ThrowIfOnMeta("be exported");
        using var noGrad = TorchSharp.torch.no_grad();
        return AutoencoderGraph.Build(model, part, options, decision).ToByteArray();
    }

    private static void Write(string path, byte[] onnx)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, stream => stream.Write(onnx));
    }
}
