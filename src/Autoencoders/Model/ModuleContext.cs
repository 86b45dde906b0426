using Autoencoders.Data;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// What a registered module's factory is told about the model it is built into: the shape of one input
/// sample (what an encoder reads and a decoder must reproduce), the size of the code (what a decoder
/// reads; an encoder's own output width is free, the bottleneck adapts to it) and the device to create
/// the module's tensors on.
/// </summary>
/// <param name="InputShape">The shape of one sample, without the batch dimension, e.g. [784] or [1, 28, 28].</param>
/// <param name="LatentSize">The size of the code.</param>
public sealed record ModuleContext(IReadOnlyList<int> InputShape, int LatentSize)
{
    /// <summary>The number of values in one sample: the product of <see cref="InputShape"/>.</summary>
    public int FeatureCount => Shapes.Product(InputShape);

    /// <summary>
    /// The device to create the module's parameters and buffers on: pass it to your layers, as in
    /// <c>nn.Linear(inputs, outputs, device: context.Device)</c>. It is the CPU when a model is built (the
    /// whole model moves to its device afterwards, so every device starts from the same weights), and
    /// the meta device when only the shapes of the model's state are wanted (a model file is checked
    /// before anything is allocated). A module created elsewhere is moved here, after allocating it once.
    /// Register constant tensors as buffers so that they move with the model.
    /// </summary>
    public Device Device { get; init; } = CPU;
}
