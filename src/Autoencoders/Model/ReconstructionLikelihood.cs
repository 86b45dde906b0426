namespace Autoencoders.Model;

/// <summary>
/// The likelihood the reconstruction term assumes for the data. The loss is summed over the features
/// of a sample and averaged over the batch, so that weights of other terms (β, penalties) keep their
/// meaning across input sizes; reports divide it by the feature count to give a per-feature figure.
/// </summary>
public enum ReconstructionLikelihood
{
    /// <summary>Gaussian with unit variance: the squared error.</summary>
    Gaussian,
}
