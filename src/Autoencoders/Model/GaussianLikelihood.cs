using Autoencoders.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// A Gaussian with variance ½ around the reconstruction: −log N(x; x̂, ½I) = ‖x − x̂‖² + (d/2)·log π, so
/// the loss term is exactly the summed squared error.
/// </summary>
internal sealed class GaussianLikelihood(OutputActivation activation, int featureCount) : Likelihood
{
    public override Tensor Loss(Tensor output, Tensor target) =>
        nn.functional.mse_loss(activation.Apply(output), target, nn.Reduction.Sum).Div(target.shape[0]);

    public override Tensor NegativeLogLikelihood(Tensor output, Tensor target) =>
        (activation.Apply(output) - target).Square().flatten(1).sum(1).Add(0.5 * featureCount * Math.Log(Math.PI));
}
