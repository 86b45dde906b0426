using System.Text.Json.Serialization;

namespace Autoencoders.Model;

/// <summary>
/// An extra term added to the loss: a penalty on the code (sparsity, contraction) or on the weights.
/// One axis of the variant grid; a spec may list several.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(WeightL2PenaltySpec), "weightL2")]
[JsonDerivedType(typeof(L1ActivityPenaltySpec), "l1Activity")]
[JsonDerivedType(typeof(KlSparsityPenaltySpec), "klSparsity")]
[JsonDerivedType(typeof(ContractivePenaltySpec), "contractive")]
public abstract record PenaltySpec
{
    /// <summary>The weight λ of the term in the loss.</summary>
    public double Weight { get; init; }

    /// <summary>The name under which the term is reported.</summary>
    [JsonIgnore]
    public abstract string Name { get; }

    internal abstract Penalty Create(AutoencoderSpec model);

    internal virtual void Validate(AutoencoderSpec model)
    {
        if (!double.IsFinite(Weight) || Weight < 0)
        {
            throw new ArgumentException($"The weight of penalty '{Name}' must be a finite non-negative number; it is {Weight}.");
        }
    }
}
