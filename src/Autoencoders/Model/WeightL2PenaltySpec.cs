using System.Text.Json.Serialization;

namespace Autoencoders.Model;

/// <summary>
/// λ·Σ‖W‖²_F over every weight matrix and convolution kernel, of built-in and registered modules alike
/// (every parameter of rank two or more; biases and normalisation parameters are not penalised), as a
/// term of the loss. Unlike AdamW's decoupled decay, a term in the loss changes the
/// objective itself: with it, a linear autoencoder's optimum is unique up to sign and order, and its
/// decoder's left singular vectors are the principal directions (Kunin et al., ICML 2019).
/// </summary>
/// <example>
/// <code>
/// var spec = AutoencoderSpec.Linear(inputSize: 50, latent: 5) with { Penalties = [new WeightL2PenaltySpec { Weight = 1e-3 }] };
/// </code>
/// </example>
public sealed record WeightL2PenaltySpec : PenaltySpec
{
    /// <summary>The reported term name.</summary>
    public const string TermName = "weight_l2";

    /// <inheritdoc />
    [JsonIgnore]
    public override string Name => TermName;

    internal override Penalty Create(AutoencoderSpec model) => new WeightL2Penalty(Weight);
}
