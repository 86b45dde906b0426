using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// The reconstruction likelihood p(x | decoder output) a spec's <see cref="ReconstructionLikelihood"/>
/// names: the training loss's reconstruction term, the per-sample negative log-likelihood that ELBO and
/// importance-sampled estimates use, and the data it is defined for.
/// </summary>
internal abstract class Likelihood
{
    /// <summary>The likelihood of a spec (the one place the enum is mapped to its behaviour).</summary>
    public static Likelihood For(AutoencoderSpec spec) => spec.Likelihood switch
    {
        ReconstructionLikelihood.Gaussian => new GaussianLikelihood(spec.Output, spec.FeatureCount),
        ReconstructionLikelihood.Bernoulli => new BernoulliLikelihood(),
        _ => throw new NotSupportedException($"Likelihood {spec.Likelihood} is not supported."),
    };

    /// <summary>
    /// The reconstruction term of the loss: the per-sample negative log-likelihood without constants,
    /// summed over features and averaged over the batch (by fused reductions where they exist).
    /// </summary>
    /// <param name="output">The decoder's raw output, before the output activation.</param>
    /// <param name="target">The clean batch.</param>
    public abstract Tensor Loss(Tensor output, Tensor target);

    /// <summary>
    /// −log p(x | output) of each sample, constants included, in nats. Callers check the target with
    /// <see cref="CheckDomain"/> once, before repeating it.
    /// </summary>
    public abstract Tensor NegativeLogLikelihood(Tensor output, Tensor target);

    /// <summary>Refuses a batch the likelihood is not defined for; any batch by default.</summary>
    public virtual void CheckDomain(Tensor target)
    {
    }
}
