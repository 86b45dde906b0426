using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Noise applied to the input during training only (the target stays clean): the denoising axis of
/// the variant grid. The noise is drawn from the generator the trainer passes, so it is seeded, on the
/// input's device (with a generator of that device: libtorch draws CUDA noise from a CUDA generator).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(GaussianNoise), "gaussian")]
[JsonDerivedType(typeof(MaskingNoise), "masking")]
[JsonDerivedType(typeof(SaltAndPepperNoise), "saltAndPepper")]
public abstract record CorruptionSpec
{
    internal abstract Tensor Apply(Tensor input, Generator? generator);

    internal abstract void Validate();
}
