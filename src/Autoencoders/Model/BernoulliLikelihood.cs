using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>A Bernoulli on the decoder's logits: binary cross-entropy, for data in [0, 1].</summary>
internal sealed class BernoulliLikelihood : Likelihood
{
    public override Tensor Loss(Tensor output, Tensor target) => NegativeLogLikelihood(output, target).mean();

    public override Tensor NegativeLogLikelihood(Tensor output, Tensor target) =>
        nn.functional.binary_cross_entropy_with_logits(output, target, reduction: nn.Reduction.None).flatten(1).sum(1);

    public override void CheckDomain(Tensor target)
    {
        using var range = torch.stack([target.min(), target.max()]).cpu();
        var bounds = range.data<float>().ToArray();
        if (bounds[0] < 0 || bounds[1] > 1)
        {
            throw new ArgumentException(
                "The Bernoulli likelihood needs data in [0, 1]; this batch has values outside it. Scale the data with a MinMaxScaler or use the Gaussian likelihood.");
        }
    }
}
