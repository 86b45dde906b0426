using System.Text.Json.Serialization;
using Autoencoders.Native;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// λ·Σ_j |z_j| averaged over the batch: an L1 activity penalty that drives code values to zero (a
/// sparse autoencoder; pairs well with a ReLU code activation).
/// </summary>
/// <example><code>var spec = AutoencoderSpec.Dense(784, 64, [256]).WithCodeActivation(Activation.ReLU).WithPenalty(new L1ActivityPenaltySpec { Weight = 1e-3 });</code></example>
public sealed record L1ActivityPenaltySpec : PenaltySpec
{
    /// <summary>The reported term name.</summary>
    public const string TermName = "l1_activity";

    /// <inheritdoc />
    [JsonIgnore]
    public override string Name => TermName;

    internal override Penalty Create(AutoencoderSpec model) => new L1ActivityPenalty(Weight);

    private sealed class L1ActivityPenalty(double weight) : Penalty
    {
        public override Tensor Compute(PenaltyContext context) => context.Code.abs().sum(1).mean().Mul(weight);
    }
}
