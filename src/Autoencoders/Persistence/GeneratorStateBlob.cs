using System.Buffers.Binary;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Persistence;

/// <summary>
/// A random generator's state as stored in a checkpoint: for a CPU generator the bytes of libtorch's
/// <c>CPUGeneratorImplState</c> (a Mersenne Twister and a cached normal sample), for a CUDA generator
/// those of its Philox state (a seed and an offset). libtorch refuses an invalid state by throwing from a
/// function TorchSharp does not guard, which terminates the process; so the fields it checks are checked
/// here first.
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

    // CUDAGeneratorImpl's state: the seed (uint64), then the Philox offset (int64), a multiple of 4.
    private const int PhiloxOffsetOffset = 8;
    private const int PhiloxStateBytes = 16;

    /// <summary>The generator's state, as bytes.</summary>
    public static byte[] Of(Generator generator)
    {
        using var state = generator.get_state();
        return state.bytes.ToArray();
    }

    /// <summary>
    /// Restores a state written by <see cref="Of"/> from a generator of the same kind of device into
    /// <paramref name="generator"/>, after checking it.
    /// </summary>
    /// <exception cref="ModelFileException">The bytes are not a valid state of this kind of generator.</exception>
    public static void Restore(string path, string name, byte[] bytes, Generator generator)
    {
        using (var live = generator.get_state())
        {
            if (live.numel() != bytes.Length)
            {
                throw new ModelFileException(path, $"the random generator state '{name}' has {bytes.Length} bytes; this libtorch's generator state has {live.numel()}.");
            }
        }

        if (generator.device.type == DeviceType.CUDA)
        {
            CheckPhilox(path, name, bytes);
        }
        else
        {
            CheckMersenneTwister(path, name, bytes);
        }

        using var restored = torch.tensor(bytes, dtype: ScalarType.Byte, device: torch.CPU);
        generator.set_state(restored);
    }

    private static void CheckMersenneTwister(string path, string name, byte[] bytes)
    {
        if (bytes.Length <= FloatSampleValidOffset)
        {
            throw new ModelFileException(path, $"the random generator state '{name}' has {bytes.Length} bytes, too few for a Mersenne Twister state.");
        }

        var left = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(LeftOffset));
        var seeded = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(SeededOffset));
        var next = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(NextOffset));
        if (seeded == 0 || left is < 1 or > MersenneStateN || next > MersenneStateN || bytes[FloatSampleValidOffset] > 1)
        {
            throw new ModelFileException(path, $"the random generator state '{name}' is not a valid Mersenne Twister state: the checkpoint is corrupt.");
        }
    }

    private static void CheckPhilox(string path, string name, byte[] bytes)
    {
        var offset = bytes.Length == PhiloxStateBytes ? BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(PhiloxOffsetOffset)) : -1;
        if (offset < 0 || offset % 4 != 0)
        {
            throw new ModelFileException(path, $"the random generator state '{name}' is not a valid Philox (CUDA) state: the checkpoint is corrupt.");
        }
    }
}
