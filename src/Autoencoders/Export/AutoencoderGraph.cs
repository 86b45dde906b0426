using System.Globalization;
using System.Text.Json;
using Autoencoders.Applications;
using Autoencoders.Export.Graph;
using Autoencoders.Export.Modules;
using Autoencoders.Model;
using Onnx;

namespace Autoencoders.Export;

/// <summary>
/// Assembles the exported graph of a model part: the scaler folded in on the way in and out, then the
/// encoder, bottleneck and decoder, each written by its module's exporter. Corruption and dropout are
/// training-only and have no nodes; a VAE encodes to its posterior mean.
/// </summary>
internal static class AutoencoderGraph
{
    public static ModelProto Build(Autoencoder model, OnnxPart part, OnnxExportOptions options, DetectorDecision? decision)
    {
        var sampleShape = model.InputShape.Select(d => (long)d).ToArray();
        long[] codeShape = [model.LatentSize];
        var graph = new OnnxGraph($"autoencoder_{part.ToString().ToLowerInvariant()}", options.BatchAxis);
        var outputs = OutputNames(model, part, options);
        var metadata = new Dictionary<string, string>
        {
            ["autoencoders.part"] = part.ToString(),
            ["autoencoders.input_shape"] = JsonSerializer.Serialize(model.InputShape),
            ["autoencoders.latent_size"] = model.LatentSize.ToString(CultureInfo.InvariantCulture),
        };

        if (part == OnnxPart.Decoder)
        {
            var code = graph.AddInput(options.InputName ?? "code", codeShape);
            graph.AddOutput(ScaleOut(graph, model, Decode(graph, model, code)), outputs[0], sampleShape);
            return graph.ToModel("Decodes codes to reconstructions in the data's units.", metadata);
        }

        var input = graph.AddInput(options.InputName ?? "input", sampleShape);
        var scaled = ScaleIn(graph, model, input);
        var features = ExportContext.Export(graph, model, "encoder", model.Encoder, scaled);
        var codeValue = ExportContext.Export(graph, model, "bottleneck", model.Bottleneck, features);
        switch (part)
        {
            case OnnxPart.Encoder:
                graph.AddOutput(codeValue, outputs[0], codeShape);
                if (options.IncludeLogVariance)
                {
                    var gaussian = (GaussianBottleneck)model.Bottleneck;
                    graph.AddOutput(GaussianBottleneckExporter.LogVariance(gaussian, features, ContextFor(graph, model)), outputs[1], codeShape);
                }

                return graph.ToModel("Encodes samples in the data's units to codes (a VAE's posterior mean).", metadata);
            case OnnxPart.Full:
                graph.AddOutput(ScaleOut(graph, model, Decode(graph, model, codeValue)), outputs[0], sampleShape);
                return graph.ToModel("Reconstructs samples through the deterministic code, in the data's units.", metadata);
            default:
                var detector = decision ?? throw new InvalidOperationException("A detector graph needs a threshold.");
                var (score, isAnomaly) = Score(graph, model, scaled, Decode(graph, model, codeValue), detector.Threshold);
                graph.AddOutput(score, outputs[0], [], TensorProto.Types.DataType.Float);
                graph.AddOutput(isAnomaly, outputs[1], [], TensorProto.Types.DataType.Bool);
                metadata["autoencoders.score"] = AnomalyScoreKind.ReconstructionError.ToString();
                metadata["autoencoders.threshold"] = detector.Threshold.ToString("R", CultureInfo.InvariantCulture);
                metadata["autoencoders.threshold_rule"] = detector.Rule;
                if (detector.FeatureNames is { } names)
                {
                    metadata["autoencoders.feature_names"] = JsonSerializer.Serialize(names);
                }

                return graph.ToModel("Scores samples in the data's units by their reconstruction error and flags those above the detector's threshold.", metadata);
        }
    }

    /// <summary>The decoder and the output activation, in model space.</summary>
    private static string Decode(OnnxGraph graph, Autoencoder model, string code)
    {
        var raw = ExportContext.Export(graph, model, "decoder", model.Decoder, code);
        return model.Spec.Output switch
        {
            OutputActivation.Identity => raw,
            OutputActivation.Sigmoid => graph.Node("Sigmoid", "output.sigmoid", [raw]),
            _ => throw new NotSupportedException($"ONNX export: output activation {model.Spec.Output} has no exporter."),
        };
    }

    /// <summary>(x − offset) / scale per feature, as <see cref="Data.Scaler.Transform(TorchSharp.torch.Tensor)"/> computes it.</summary>
    private static string ScaleIn(OnnxGraph graph, Autoencoder model, string input)
    {
        if (model.Scaler is not { } scaler)
        {
            return input;
        }

        var shape = model.InputShape.Select(d => (long)d).ToArray();
        var centred = graph.Node("Sub", "scaler.center", [input, graph.Constant("scaler.offset", [.. scaler.Offset], shape)]);
        return graph.Node("Div", "scaler.scale", [centred, graph.Constant("scaler.scale", [.. scaler.Scale], shape)]);
    }

    /// <summary>y · scale + offset per feature, as <see cref="Data.Scaler.InverseTransform(TorchSharp.torch.Tensor)"/> computes it.</summary>
    private static string ScaleOut(OnnxGraph graph, Autoencoder model, string output)
    {
        if (model.Scaler is not { } scaler)
        {
            return output;
        }

        var shape = model.InputShape.Select(d => (long)d).ToArray();
        var scaled = graph.Node("Mul", "scaler.unscale", [output, graph.Constant("scaler.scale", [.. scaler.Scale], shape)]);
        return graph.Node("Add", "scaler.uncenter", [scaled, graph.Constant("scaler.offset", [.. scaler.Offset], shape)]);
    }

    /// <summary>
    /// The mean squared error per feature in scaled space, accumulated in float64 as
    /// <see cref="Autoencoder.ReconstructionErrors"/> does, and the decision score &gt; threshold in float64.
    /// </summary>
    private static (string Score, string IsAnomaly) Score(OnnxGraph graph, Autoencoder model, string scaled, string reconstruction, double threshold)
    {
        var error = graph.Node("Sub", "detector.error", [reconstruction, scaled]);
        var squared = graph.Node("Mul", "detector.squared", [error, error]);
        var wide = graph.Node("Cast", "detector.float64", [squared], OnnxGraph.Attribute("to", (long)TensorProto.Types.DataType.Double));
        var axes = Enumerable.Range(1, model.InputShape.Count).Select(a => (long)a);
        var mean = graph.Node("ReduceMean", "detector.mean", [wide], OnnxGraph.Attribute("axes", axes), OnnxGraph.Attribute("keepdims", 0L));
        var isAnomaly = graph.Node("Greater", "detector.decision", [mean, graph.Constant("detector.threshold", [threshold], [])]);
        var score = graph.Node("Cast", "detector.score", [mean], OnnxGraph.Attribute("to", (long)TensorProto.Types.DataType.Float));
        return (score, isAnomaly);
    }

    private static string[] OutputNames(Autoencoder model, OnnxPart part, OnnxExportOptions options)
    {
        string[] defaults = part switch
        {
            OnnxPart.Encoder when options.IncludeLogVariance => ["code", "log_variance"],
            OnnxPart.Encoder => ["code"],
            OnnxPart.Detector => ["score", "is_anomaly"],
            _ => ["reconstruction"],
        };
        if (options.IncludeLogVariance && (part != OnnxPart.Encoder || model.Bottleneck is not GaussianBottleneck))
        {
            throw new ArgumentException("IncludeLogVariance needs the encoder part of a variational model (a Gaussian bottleneck).", nameof(options));
        }

        if (options.OutputNames is not { } names)
        {
            return defaults;
        }

        if (names.Count != defaults.Length || names.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"The {part} export has {defaults.Length} output(s) ({string.Join(", ", defaults)}); {names.Count} name(s) were given.", nameof(options));
        }

        return [.. names];
    }

    private static ExportContext ContextFor(OnnxGraph graph, Autoencoder model) => ExportContext.ForModule(graph, model, "bottleneck");
}

/// <summary>What the detector graph needs from an <see cref="AnomalyDetector"/>.</summary>
internal sealed record DetectorDecision(double Threshold, string Rule, IReadOnlyList<string>? FeatureNames);
