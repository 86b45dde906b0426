using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Autoencoders.MLNet;

/// <summary>
/// Turns the detector graph's outputs into ML.NET's anomaly columns. ML.NET's ONNX transformer gives every
/// output as a vector (a score is a vector of one), while <c>mlContext.AnomalyDetection.Evaluate</c> reads a
/// Single <c>Score</c> and a Boolean <c>PredictedLabel</c>; no built-in transform turns a one-slot vector
/// into a scalar, so this custom mapping does. It is saved by its contract name, which is why loading a
/// saved model needs <see cref="AutoencoderCatalog.RegisterAutoencoders"/> first.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class DetectorColumns : CustomMappingFactory<DetectorColumns.GraphOutputs, DetectorColumns.AnomalyOutputs>
{
    /// <summary>The name the mapping is saved under.</summary>
    public const string ContractName = "Autoencoders.MLNet.DetectorColumns";

    /// <summary>The graph's score output.</summary>
    public const string GraphScore = "AutoencoderScore";

    /// <summary>The graph's decision output.</summary>
    public const string GraphDecision = "AutoencoderDecision";

    /// <inheritdoc />
    public override Action<GraphOutputs, AnomalyOutputs> GetMapping() => Map;

    internal static void Map(GraphOutputs input, AnomalyOutputs output)
    {
        output.Score = input.AutoencoderScore[0];
        output.PredictedLabel = input.AutoencoderDecision[0];
    }

    internal static IEstimator<ITransformer> Estimator(MLContext mlContext) =>
        mlContext.Transforms.CustomMapping<GraphOutputs, AnomalyOutputs>(Map, ContractName)
            .Append(mlContext.Transforms.DropColumns(GraphScore, GraphDecision));

    /// <summary>The detector graph's outputs for one row (vectors of one).</summary>
    public sealed class GraphOutputs
    {
        /// <summary>The score.</summary>
        [VectorType(1)]
        public float[] AutoencoderScore { get; set; } = [];

        /// <summary>The decision.</summary>
        [VectorType(1)]
        public bool[] AutoencoderDecision { get; set; } = [];
    }

    /// <summary>ML.NET's anomaly-detection columns.</summary>
    public sealed class AnomalyOutputs
    {
        /// <summary>The reconstruction error: higher is more anomalous.</summary>
        public float Score { get; set; }

        /// <summary>Whether the score is above the detector's threshold.</summary>
        public bool PredictedLabel { get; set; }
    }
}
