using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Autoencoders.Data;

/// <summary>Managed floats into a new libtorch tensor: one memory copy into libtorch's own (aligned) allocation.</summary>
internal static class TensorCopy
{
    /// <summary>
    /// A new contiguous float32 CPU tensor of <paramref name="shape"/> holding <paramref name="values"/>, in the
    /// caller's dispose scope. Writing through <c>Tensor.bytes</c> is a plain memory copy; <c>torch.tensor</c>
    /// over a managed array measured some 300 times slower for a 128 × 784 batch.
    /// </summary>
    public static Tensor Of(ReadOnlySpan<float> values, long[] shape)
    {
        var result = empty(shape, ScalarType.Float32);
        MemoryMarshal.AsBytes(values).CopyTo(result.bytes);
        return result;
    }
}
