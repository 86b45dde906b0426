using Autoencoders.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// The exponential linear unit, x for x &gt; 0 and α(eˣ − 1) otherwise: TorchSharp's <c>nn.ELU</c>, whose
/// forward passes α as a temporary Scalar that the collector may free mid-call (see <see cref="TensorMath"/>).
/// </summary>
internal sealed class EluActivation(double alpha) : ParameterLessModule<Tensor, Tensor>(nameof(EluActivation))
{
    /// <summary>α, the value approached for large negative inputs (as −α).</summary>
    public double Alpha { get; } = alpha;

    public override Tensor forward(Tensor input) => input.Elu(Alpha);
}
