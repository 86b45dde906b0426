using Autoencoders.Data;

namespace Autoencoders.Model;

/// <summary>
/// What a registered module's factory is told about the model it is built into: the shape of one input
/// sample (what an encoder reads and a decoder must reproduce) and the size of the code (what a decoder
/// reads; an encoder's own output width is free, the bottleneck adapts to it).
/// </summary>
/// <param name="InputShape">The shape of one sample, without the batch dimension, e.g. [784] or [1, 28, 28].</param>
/// <param name="LatentSize">The size of the code.</param>
public sealed record ModuleContext(IReadOnlyList<int> InputShape, int LatentSize)
{
    /// <summary>The number of values in one sample: the product of <see cref="InputShape"/>.</summary>
    public int FeatureCount => Shapes.Product(InputShape);
}
