using System.Text.Json.Serialization;
using Autoencoders.Native;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// The contractive penalty (Rifai et al., 2011): λ·‖∂z/∂x‖²_F, the squared Frobenius norm of the
/// Jacobian of the (mean) code with respect to the input, averaged over the batch. It makes the code
/// insensitive to small input changes.
/// </summary>
/// <remarks>
/// For the classic single sigmoid layer (no hidden layers, a sigmoid code z = s(Wx + b)) the norm is
/// exact and cheap: Σ_k (z_k(1 − z_k))² Σ_i W_ki². Any other encoder, a registered one of your own
/// included, uses autograd: one extra backward pass per code unit and batch, so it costs roughly
/// latent-size times a plain step. A registered encoder whose output does not depend differentiably on
/// its input is refused when the model is built.
/// </remarks>
/// <example><code>var spec = AutoencoderSpec.Contractive(inputSize: 784, latent: 64, weight: 0.1);</code></example>
public sealed record ContractivePenaltySpec : PenaltySpec
{
    /// <summary>The reported term name.</summary>
    public const string TermName = "contractive";

    /// <inheritdoc />
    [JsonIgnore]
    public override string Name => TermName;

    /// <summary>Whether <paramref name="model"/> has the single-sigmoid-layer encoder with a closed-form Jacobian.</summary>
    internal static bool HasClosedForm(AutoencoderSpec model) =>
        model.Backbone is DenseBackboneSpec { Hidden.Count: 0 } &&
        model.Bottleneck is DeterministicBottleneckSpec { CodeActivation: Activation.Sigmoid };

    internal override Penalty Create(AutoencoderSpec model) =>
        HasClosedForm(model) ? new SigmoidLayerPenalty(Weight) : new AutogradPenalty(Weight);

    /// <summary>‖J‖²_F per sample for z = s(Wx + b): Σ_k (z_k(1 − z_k))² ‖W_k‖².</summary>
    internal static Tensor SigmoidLayerJacobianNorm(Tensor code, Tensor weight) =>
        (code * code.SubtractedFrom(1)).Square().matmul(weight.Square().sum(1));

    /// <summary>‖J‖²_F per sample by autograd: one backward pass per code unit.</summary>
    internal static Tensor AutogradJacobianNorm(Tensor code, Tensor input)
    {
        Tensor? total = null;
        for (var k = 0; k < code.shape[1]; k++)
        {
            var gradient = autograd.grad([code[.., k].sum()], [input], retain_graph: true, create_graph: true)[0];
            var rowNorm = gradient.flatten(1).Square().sum(1);
            total = total is null ? rowNorm : total.Add(rowNorm);
        }

        return total!;
    }

    private sealed class SigmoidLayerPenalty(double weight) : Penalty
    {
        public override Tensor Compute(PenaltyContext context)
        {
            var bottleneck = (DeterministicBottleneck)context.Model.Bottleneck;
            return SigmoidLayerJacobianNorm(context.Code, bottleneck.Weight).mean().Mul(weight);
        }
    }

    private sealed class AutogradPenalty(double weight) : Penalty
    {
        public override bool NeedsInputGradient => true;

        public override Tensor Compute(PenaltyContext context)
        {
            var meanCode = context.Model.Bottleneck.forward(context.Features);
            return AutogradJacobianNorm(meanCode, context.Input).mean().Mul(weight);
        }
    }
}
