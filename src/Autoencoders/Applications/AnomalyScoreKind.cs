namespace Autoencoders.Applications;

/// <summary>What an anomaly detector scores a sample by; higher is more anomalous.</summary>
public enum AnomalyScoreKind
{
    /// <summary>The mean squared reconstruction error per feature, after scaling. Any model.</summary>
    ReconstructionError,
    /// <summary>The negative ELBO in nats (variational models only).</summary>
    NegativeElbo,
    /// <summary>The negative importance-sampled log-likelihood in nats, 100 samples (variational models only).</summary>
    NegativeLogLikelihood,
}
