using Autoencoders.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Leaky ReLU, max(0, x) + slope·min(0, x): TorchSharp's <c>nn.LeakyReLU</c>, whose forward passes its slope
/// as a temporary Scalar that the collector may free mid-call (see <see cref="TensorMath"/>).
/// </summary>
internal sealed class LeakyReluActivation(double negativeSlope) : ParameterLessModule<Tensor, Tensor>(nameof(LeakyReluActivation))
{
    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; } = negativeSlope;

    public override Tensor forward(Tensor input) => input.LeakyRelu(NegativeSlope);
}
