using System.Text.Json.Serialization;

namespace Autoencoders.Model;

/// <summary>
/// The family of layers that maps the input to the features the bottleneck reads (the encoder) and the
/// code back to the input's shape (the decoder, mirrored): built in (dense, convolutional), or your own
/// modules (<see cref="CustomBackboneSpec"/>). One axis of the variant grid.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(DenseBackboneSpec), "dense")]
[JsonDerivedType(typeof(ConvolutionalBackboneSpec), "convolutional")]
[JsonDerivedType(typeof(CustomBackboneSpec), "custom")]
public abstract record BackboneSpec
{
    internal abstract Encoder CreateEncoder(IReadOnlyList<int> inputShape, int latentSize);

    internal abstract Decoder CreateDecoder(int latentSize, IReadOnlyList<int> inputShape);

    internal abstract void Validate(IReadOnlyList<int> inputShape);

    /// <summary>
    /// Rows per inference batch. A multiple of 16, so that every batch starts 64-byte aligned inside a
    /// libtorch-allocated tensor (libtorch's kernels give alignment-dependent results).
    /// </summary>
    internal virtual int InferenceBatchSize => 1024;
}
