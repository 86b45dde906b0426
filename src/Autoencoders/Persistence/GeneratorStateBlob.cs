using System.Buffers.Binary;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Persistence;

/// <summary>
/// A CPU random generator's state as stored in a checkpoint: the bytes of libtorch's
/// <c>CPUGeneratorImplState</c> (a Mersenne Twister and a cached normal sample). libtorch refuses an
/// invalid twister state by throwing from a function TorchSharp does not guard, which terminates the
/// process; so the fields it checks are checked here first.
/// </summary>
internal static class GeneratorStateBlob
{
    // The fields of CPUGeneratorImplStateLegacy that at::mt19937::is_valid() looks at.
    private const int LeftOffset = 8;
    private const int SeededOffset = 12;
    private const int NextOffset = 16;
    private const int MersenneStateN = 624;

    // CPUGeneratorImplState::is_next_float_normal_sample_valid, the last field before padding.
    private const int FloatSampleValidOffset = 5052;

    /// <summary>The generator's state, as bytes.</summary>
    public static byte[] Of(Generator generator)
    {
        using var state = generator.get_state();
        return state.bytes.ToArray();
    }

    /// <summary>Restores a state written by <see cref="Of"/> into <paramref name="generator"/>, after checking it.</summary>
    /// <exception cref="ModelFileException">The bytes are not a valid state of this kind of generator.</exception>
    public static void Restore(string path, string name, byte[] bytes, Generator generator)
    {
        using (var live = generator.get_state())
        {
            if (live.numel() != bytes.Length || bytes.Length <= FloatSampleValidOffset)
            {
                throw new ModelFileException(path, $"the random generator state '{name}' has {bytes.Length} bytes; this libtorch's generator state has {live.numel()}.");
            }
        }

        var left = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(LeftOffset));
        var seeded = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(SeededOffset));
        var next = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(NextOffset));
        if (seeded == 0 || left is < 1 or > MersenneStateN || next > MersenneStateN || bytes[FloatSampleValidOffset] > 1)
        {
            throw new ModelFileException(path, $"the random generator state '{name}' is not a valid Mersenne Twister state: the checkpoint is corrupt.");
        }

        using var restored = torch.tensor(bytes, dtype: ScalarType.Byte, device: torch.CPU);
        generator.set_state(restored);
    }
}
