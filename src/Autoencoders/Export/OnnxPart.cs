namespace Autoencoders.Export;

/// <summary>Which part of a model an ONNX export computes. Every part takes and returns the user's units (the scaler is folded in).</summary>
public enum OnnxPart
{
    /// <summary>Input [batch, ...input shape] → <c>reconstruction</c> [batch, ...input shape], through the deterministic code.</summary>
    Full,

    /// <summary>Input → <c>code</c> [batch, latent] (a VAE's posterior mean), and <c>log_variance</c> when asked for.</summary>
    Encoder,

    /// <summary>Input <c>code</c> [batch, latent] → <c>reconstruction</c> [batch, ...input shape].</summary>
    Decoder,

    /// <summary>
    /// An anomaly detector's decision: input → <c>score</c> [batch] (float, the reconstruction error) and
    /// <c>is_anomaly</c> [batch] (bool, score &gt; threshold). Only from an <c>AnomalyDetector</c>.
    /// </summary>
    Detector,
}
