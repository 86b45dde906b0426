namespace Autoencoders.Model;

/// <summary>
/// The likelihood the reconstruction term assumes for the data. The loss is summed over the features
/// of a sample and averaged over the batch, so that weights of other terms (β, penalties) keep their
/// meaning across input sizes; reports divide it by the feature count to give a per-feature figure.
/// </summary>
public enum ReconstructionLikelihood
{
    /// <summary>
    /// Gaussian with variance ½ around the reconstruction, so the term is exactly the summed squared
    /// error (plus a constant that log-likelihood estimates include).
    /// </summary>
    Gaussian,

    /// <summary>
    /// Bernoulli on the decoder's logits: binary cross-entropy, for data in [0, 1] (binarised or grey
    /// images). The reconstruction is the sigmoid of the logits, so the output activation must be
    /// <see cref="OutputActivation.Sigmoid"/>.
    /// </summary>
    Bernoulli,
}
