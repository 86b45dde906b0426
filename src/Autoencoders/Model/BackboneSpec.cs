using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// The family of layers that maps the input to the features the bottleneck reads (the encoder) and the
/// code back to the input's shape (the decoder, mirrored): built in (dense, convolutional, and for
/// sequences shaped [channels, length] 1-D convolutional and recurrent), or your own modules
/// (<see cref="CustomBackboneSpec"/>). One axis of the variant grid.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(DenseBackboneSpec), "dense")]
[JsonDerivedType(typeof(ConvolutionalBackboneSpec), "convolutional")]
[JsonDerivedType(typeof(Convolutional1dBackboneSpec), "convolutional1d")]
[JsonDerivedType(typeof(RecurrentBackboneSpec), "recurrent")]
[JsonDerivedType(typeof(CustomBackboneSpec), "custom")]
public abstract record BackboneSpec
{
    /// <summary>The encoder, its tensors created on <paramref name="device"/> (the CPU, or meta for a structure-only build).</summary>
    internal abstract Encoder CreateEncoder(IReadOnlyList<int> inputShape, int latentSize, Device device);

    /// <summary>The decoder, its tensors created on <paramref name="device"/>.</summary>
    internal abstract Decoder CreateDecoder(int latentSize, IReadOnlyList<int> inputShape, Device device);

    internal abstract void Validate(IReadOnlyList<int> inputShape);

    /// <summary>
    /// Rows per inference batch. A multiple of 16, so that every batch starts 64-byte aligned inside a
    /// libtorch-allocated tensor (libtorch's kernels give alignment-dependent results).
    /// </summary>
    internal virtual int InferenceBatchSize => 1024;
}
