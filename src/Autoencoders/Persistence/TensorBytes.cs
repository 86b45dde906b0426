using System.Runtime.InteropServices;
using Autoencoders.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Persistence;

/// <summary>
/// The raw little-endian bytes of a float32 or int64 tensor, and back: the one place where bytes from a
/// file become a libtorch tensor, after their type and length are checked against the target.
/// </summary>
internal static class TensorBytes
{
    /// <summary>A copy of the tensor's data, from whatever device it is on.</summary>
    public static byte[] Of(Tensor tensor)
    {
        using var host = tensor.cpu();
        using var dense = host.contiguous();
        return dense.bytes.ToArray();
    }

    /// <summary>
    /// A new libtorch-owned tensor of <paramref name="dtype"/> and <paramref name="shape"/> holding a
    /// copy of <paramref name="bytes"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The type is not float32 or int64, or the byte count does not fit the shape.</exception>
    public static Tensor ToTensor(ReadOnlySpan<byte> bytes, ScalarType dtype, long[] shape)
    {
        var elementSize = dtype switch
        {
            ScalarType.Float32 => sizeof(float),
            ScalarType.Int64 => sizeof(long),
            _ => throw new ArgumentException($"Model files hold float32 and int64 tensors, not {dtype}.", nameof(dtype)),
        };
        var count = Shapes.Product(shape);
        if (count * elementSize != bytes.Length)
        {
            throw new ArgumentException($"{bytes.Length} bytes do not hold a {dtype} tensor of shape [{string.Join(", ", shape)}].", nameof(bytes));
        }

        using var wrapped = dtype == ScalarType.Int64
            ? torch.tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), shape, device: torch.CPU)
            : torch.tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape, device: torch.CPU);
        return wrapped.clone();
    }
}
