using Autoencoders.Applications;
using Microsoft.ML;

namespace Autoencoders.MLNet;

/// <summary>
/// Autoencoders in ML.NET's catalogs: <c>mlContext.AnomalyDetection.Trainers.Autoencoder(...)</c> and
/// <c>mlContext.Transforms.ProjectToAutoencoderCode(...)</c>.
/// </summary>
/// <example>
/// <code>
/// var mlContext = new MLContext(seed: 1);
/// var pipeline = mlContext.Transforms.Concatenate("Features", "rpm", "flow", "pressure")
///     .Append(mlContext.AnomalyDetection.Trainers.Autoencoder("Features"));
/// var model = pipeline.Fit(data);                                   // trains with TorchSharp, carries ONNX
/// var scored = model.Transform(data);                               // Score (Single), PredictedLabel (Boolean)
/// var metrics = mlContext.AnomalyDetection.Evaluate(scored);
/// mlContext.Model.Save(model, data.Schema, "detector.zip");        // the ONNX graph is inside
///
/// var serving = new MLContext().RegisterAutoencoders();             // before loading a detector
/// var loaded = serving.Model.Load("detector.zip", out _);
/// </code>
/// </example>
public static class AutoencoderCatalog
{
    /// <summary>
    /// An autoencoder anomaly detector: fits <see cref="AnomalyDetector"/> on the feature column and adds
    /// <c>Score</c> (the reconstruction error, Single) and <c>PredictedLabel</c> (Boolean, score above the
    /// detector's threshold) — the columns <c>mlContext.AnomalyDetection.Evaluate</c> reads.
    /// </summary>
    /// <param name="catalog">The anomaly-detection trainers of an <see cref="MLContext"/>.</param>
    /// <param name="featureColumnName">A known-size vector of Single.</param>
    /// <param name="options">The detector's options (architecture, scaling, threshold rule, training, seed); the defaults when null. The score must be the reconstruction error.</param>
    public static AutoencoderAnomalyEstimator Autoencoder(
        this AnomalyDetectionCatalog.AnomalyDetectionTrainers catalog,
        string featureColumnName = "Features",
        AnomalyDetectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AutoencoderAnomalyEstimator(featureColumnName, options ?? AnomalyDetectorOptions.Default);
    }

    /// <summary>
    /// Registers this package's components with the context, which loading a saved pipeline with an
    /// autoencoder anomaly detector needs (ML.NET finds custom mappings only in registered assemblies).
    /// </summary>
    /// <returns>The context, to chain.</returns>
    public static MLContext RegisterAutoencoders(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        mlContext.ComponentCatalog.RegisterAssembly(typeof(DetectorColumns).Assembly);
        return mlContext;
    }

    /// <summary>
    /// An encoder transform: fits <see cref="AutoencoderReducer"/> on the input column and adds the code
    /// (a known-size vector of Single, <see cref="ReducerOptions.Components"/> long) — the nonlinear
    /// counterpart of <c>ProjectToPrincipalComponents</c>.
    /// </summary>
    /// <param name="catalog">The transforms of an <see cref="MLContext"/>.</param>
    /// <param name="outputColumnName">The code column to add.</param>
    /// <param name="inputColumnName">A known-size vector of Single; <paramref name="outputColumnName"/> when null.</param>
    /// <param name="options">The reducer's options (code size, architecture, scaling, training, seed); the defaults when null.</param>
    public static AutoencoderEncodingEstimator ProjectToAutoencoderCode(
        this TransformsCatalog catalog,
        string outputColumnName,
        string? inputColumnName = null,
        ReducerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AutoencoderEncodingEstimator(outputColumnName, inputColumnName ?? outputColumnName, options ?? new ReducerOptions());
    }
}
