using Autoencoders.Applications;
using Autoencoders.Export;
using Microsoft.ML;
using Microsoft.ML.Transforms.Onnx;

namespace Autoencoders.MLNet;

/// <summary>
/// Fits an autoencoder anomaly detector in an ML.NET pipeline; create it with
/// <see cref="AutoencoderCatalog.Autoencoder"/>. <see cref="Fit"/> trains <see cref="AnomalyDetector"/>
/// with TorchSharp, exports its decision graph to ONNX and returns ML.NET's ONNX transformer over it
/// followed by <see cref="DetectorColumns"/>, which add <c>Score</c> and <c>PredictedLabel</c>.
/// </summary>
/// <remarks>
/// ML.NET saves only transformers it can load itself, so the fitted transformer is ML.NET's own
/// <see cref="OnnxTransformer"/> (and a registered custom mapping): <c>mlContext.Model.Save</c> embeds the
/// ONNX graph (weights, scaler, threshold) in the model file, and <c>mlContext.Model.Load</c> needs ONNX
/// Runtime but not TorchSharp (call <see cref="AutoencoderCatalog.RegisterAutoencoders"/> on the context first).
/// </remarks>
public sealed class AutoencoderAnomalyEstimator : IEstimator<ITransformer>
{
    private readonly string featureColumnName;
    private readonly AnomalyDetectorOptions options;

    internal AutoencoderAnomalyEstimator(string featureColumnName, AnomalyDetectorOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(featureColumnName);
        if (options.Score != AnomalyScoreKind.ReconstructionError)
        {
            throw new ArgumentException($"In ML.NET the detector scores by {AnomalyScoreKind.ReconstructionError}; {options.Score} draws random samples per row and has no ONNX graph.", nameof(options));
        }

        this.featureColumnName = featureColumnName;
        this.options = options;
    }

    /// <summary>The name of the score column.</summary>
    public const string ScoreColumnName = "Score";

    /// <summary>The name of the decision column.</summary>
    public const string PredictedLabelColumnName = "PredictedLabel";

    /// <summary>Trains the detector on the feature column and returns the ONNX transformer that applies it.</summary>
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var rows = FeatureColumn.Read(input, featureColumnName);
        byte[] onnx;
        using (var detector = AnomalyDetector.Fit(rows, options))
        {
            onnx = detector.ToOnnx(new OnnxExportOptions { InputName = featureColumnName, OutputNames = [DetectorColumns.GraphScore, DetectorColumns.GraphDecision] });
        }

        using var model = new MemoryStream(onnx, writable: false);
        var mlContext = new MLContext();
        return mlContext.Transforms.ApplyOnnxModel([DetectorColumns.GraphScore, DetectorColumns.GraphDecision], [featureColumnName], model)
            .Append(DetectorColumns.Estimator(mlContext))
            .Fit(input);
    }

    /// <summary>The input schema plus <c>Score</c> (Single) and <c>PredictedLabel</c> (Boolean).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        FeatureColumn.Check(inputSchema, featureColumnName);
        return OutputSchema.Add<DetectorColumns.AnomalyOutputs>(inputSchema);
    }
}
