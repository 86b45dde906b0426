using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Training;
using CsCheck;

namespace Autoencoders.Tests.Reliability;

/// <summary>
/// Forged checkpoints whose optimiser or random generator state is damaged: TorchSharp and libtorch
/// read type codes, shapes and twister fields from those bytes, so each must be refused with a
/// <see cref="ModelFileException"/> before they see them (libtorch's generator check terminates the
/// process instead of throwing).
/// </summary>
public sealed class HostileCheckpointTests(FuzzSubjects subjects) : IClassFixture<FuzzSubjects>, IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Fuzz_case_2137_an_optimiser_state_claiming_an_unsupported_tensor_type_is_a_ModelFileException()
    {
        // Found by the checkpoint fuzz test at AUTOENCODERS_FUZZ_SCALE=10 (seed 20260707): a forged
        // optimiser state made TorchSharp call torch.empty with a type code libtorch does not know, which
        // escaped as ExternalException ("Unsupported TypeMeta in ATen").
        var pcg = new PCG(7, unchecked((20260707UL * 1_000_003UL) + 2137));
        var mutation = ModelFileMutation.Gen.Generate(pcg, null!, out _);
        File.WriteAllBytes(subjects.CheckpointOptions.CheckpointPath!, mutation.Apply(subjects.Checkpoint));
        using var model = FuzzSubjects.CheckpointSpec.Build(seed: 3);

        var act = () => new Trainer(subjects.CheckpointOptions).Fit(model, subjects.CheckpointData);

        act.Should().Throw<ModelFileException>().WithMessage("*optimiser state*");
    }

    [Theory]
    [InlineData(8, 0, "left = 0")]
    [InlineData(8, 625, "left beyond the state")]
    [InlineData(12, 0, "not seeded")]
    [InlineData(16, 625, "next beyond the state")]
    public void A_random_generator_state_that_libtorch_would_reject_is_a_ModelFileException(int offset, int value, string what)
    {
        var path = Forge("shuffle_rng", blob => BinaryPrimitives.WriteInt32LittleEndian(blob.AsSpan(offset), value));

        var act = Resume(path);

        act.Should().Throw<ModelFileException>().WithMessage("*random generator state 'shuffle_rng'*", what);
    }

    [Fact]
    public void A_random_generator_state_of_another_size_is_a_ModelFileException()
    {
        var path = Forge("noise_rng", blob => blob[8..]);

        var act = Resume(path);

        act.Should().Throw<ModelFileException>().WithMessage("*'noise_rng' has 5048 bytes*");
    }

    [Theory]
    [InlineData("a flag that is neither 0 nor 1")]
    [InlineData("a maximum second moment without amsgrad")]
    [InlineData("another optimiser")]
    [InlineData("cut short")]
    [InlineData("trailing bytes")]
    public void A_damaged_optimiser_state_is_a_ModelFileException(string damage)
    {
        var path = Forge("optimizer", blob => damage switch
        {
            // The Adam state of the first parameter ends with its amsgrad flag (0): the blob's layout is
            // name, two counts, 50 bytes of options, then per parameter a step and two tensors.
            "a flag that is neither 0 nor 1" => Set(blob, AmsgradFlagOfFirstState(blob), 7),
            "a maximum second moment without amsgrad" => Set(blob, AmsgradFlagOfFirstState(blob), 1),
            "another optimiser" => Set(blob, 1, (byte)'X'),
            "cut short" => blob[..^4],
            _ => [.. blob, 0],
        });

        var act = Resume(path);

        act.Should().Throw<ModelFileException>().WithMessage("*optimiser state*");
    }

    private static int AmsgradFlagOfFirstState(byte[] blob)
    {
        var nameLength = blob[0];
        var at = 1 + nameLength + 2 + 50 + 8; // name, counts, options, step
        for (var tensor = 0; tensor < 2; tensor++)
        {
            var rank = blob[at + 1];
            long count = 1;
            for (var d = 0; d < rank; d++)
            {
                count *= blob[at + 2 + d]; // dimensions below 128 take one byte
            }

            at += 2 + rank + (int)(count * sizeof(float));
        }

        return at;
    }

    private static byte[] Set(byte[] blob, int at, byte value)
    {
        blob[at] = value;
        return blob;
    }

    private Func<TrainingHistory> Resume(string forged)
    {
        File.Copy(forged, subjects.CheckpointOptions.CheckpointPath!, overwrite: true);
        var model = FuzzSubjects.CheckpointSpec.Build(seed: 3);
        return () =>
        {
            using (model)
            {
                return new Trainer(subjects.CheckpointOptions).Fit(model, subjects.CheckpointData);
            }
        };
    }

    private string Forge(string blob, Action<byte[]> edit) => Forge(blob, b =>
    {
        edit(b);
        return b;
    });

    /// <summary>Replaces the application blob <paramref name="blob"/> and rewrites the header and checksum to match, as a forger would.</summary>
    private string Forge(string blob, Func<byte[], byte[]> edit)
    {
        var file = subjects.Checkpoint;
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(file, 8, length))!.AsObject();
        var data = file[(8 + length)..];
        var entry = header["app." + blob]!;
        var begin = entry["data_offsets"]![0]!.GetValue<long>();
        var end = entry["data_offsets"]![1]!.GetValue<long>();
        var replacement = edit(data[(int)begin..(int)end]);
        var delta = replacement.Length - (end - begin);
        foreach (var (_, node) in header.Where(kv => kv.Key != "__metadata__"))
        {
            var offsets = node!["data_offsets"]!.AsArray();
            var (b, e) = (offsets[0]!.GetValue<long>(), offsets[1]!.GetValue<long>());
            if (b >= end)
            {
                node["data_offsets"] = new JsonArray(b + delta, e + delta);
            }
        }

        entry["shape"] = new JsonArray(replacement.Length);
        entry["data_offsets"] = new JsonArray(begin, begin + replacement.Length);
        byte[] newData = [.. data[..(int)begin], .. replacement, .. data[(int)end..]];
        var sealedHeader = ModelFileChecksum.Seal(Encoding.UTF8.GetBytes(header.ToJsonString()), newData);
        var path = folder.File("forged.ckpt");
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)sealedHeader.Length);
        File.WriteAllBytes(path, [.. prefix, .. sealedHeader, .. newData]);
        return path;
    }
}
