namespace Autoencoders.Export;

/// <summary>What an ONNX export writes, and what its inputs and outputs are called.</summary>
/// <example>
/// <code>
/// model.ExportOnnx("encoder.onnx", new OnnxExportOptions { Part = OnnxPart.Encoder, IncludeLogVariance = true });
/// </code>
/// </example>
public sealed record OnnxExportOptions
{
    /// <summary>The part to export; null exports the whole model (<see cref="OnnxPart.Full"/>), or for an anomaly detector its decision (<see cref="OnnxPart.Detector"/>).</summary>
    public OnnxPart? Part { get; init; }

    /// <summary>For a variational model's encoder: also output the posterior's clamped log-variance as <c>log_variance</c>.</summary>
    public bool IncludeLogVariance { get; init; }

    /// <summary>
    /// Whether inputs and outputs have a leading, dynamic batch axis (the default). Without it the graph takes
    /// one sample [...input shape] and returns one result (a detector's score and decision as scalars), which
    /// is what ML.NET's ONNX transformer expects, as it feeds rows one at a time.
    /// </summary>
    public bool BatchAxis { get; init; } = true;

    /// <summary>The graph input's name; null for <c>input</c> (<c>code</c> for the decoder).</summary>
    public string? InputName { get; init; }

    /// <summary>
    /// The graph outputs' names, in the order <see cref="OnnxPart"/> lists them; null for the defaults
    /// (<c>code</c>, <c>log_variance</c>, <c>reconstruction</c>, <c>score</c>, <c>is_anomaly</c>).
    /// </summary>
    public IReadOnlyList<string>? OutputNames { get; init; }
}
