using System.Text.Json.Serialization;
using Autoencoders.Native;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Ng's sparsity penalty: with ρ̂_j the mean activation of code unit j over the batch, the term is
/// λ·Σ_j KL(ρ ‖ ρ̂_j) = λ·Σ_j [ρ log(ρ/ρ̂_j) + (1−ρ) log((1−ρ)/(1−ρ̂_j))], which pushes each unit to be
/// active a fraction ρ of the time. Activations must lie in (0, 1): the code activation must be sigmoid.
/// </summary>
/// <example><code>var spec = AutoencoderSpec.Sparse(784, 64, [256], target: 0.05);</code></example>
public sealed record KlSparsityPenaltySpec : PenaltySpec
{
    /// <summary>The reported term name.</summary>
    public const string TermName = "kl_sparsity";

    /// <summary>The target mean activation ρ of each code unit.</summary>
    public double Target { get; init; } = 0.05;

    /// <inheritdoc />
    [JsonIgnore]
    public override string Name => TermName;

    internal override Penalty Create(AutoencoderSpec model) => new KlSparsityPenalty(Weight, Target);

    internal override void Validate(AutoencoderSpec model)
    {
        base.Validate(model);
        if (!(Target > 0 && Target < 1))
        {
            throw new ArgumentException($"The sparsity target ρ must be in (0, 1); it is {Target}.");
        }

        if (model.Bottleneck is not DeterministicBottleneckSpec { CodeActivation: Activation.Sigmoid })
        {
            throw new ArgumentException(
                "The KL sparsity penalty needs code activations in (0, 1): use a deterministic bottleneck with CodeActivation = Sigmoid (WithCodeActivation(Activation.Sigmoid)).");
        }
    }

    private sealed class KlSparsityPenalty(double weight, double target) : Penalty
    {
        public override Tensor Compute(PenaltyContext context)
        {
            var rate = context.Code.mean([0]).Clamp(1e-6, 1 - 1e-6);
            var kl = rate.DividedInto(target).log().Mul(target).Add(rate.SubtractedFrom(1L).DividedInto(1 - target).log().Mul(1 - target));
            return kl.sum().Mul(weight);
        }
    }
}
