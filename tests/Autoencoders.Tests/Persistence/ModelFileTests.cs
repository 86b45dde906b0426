using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Persistence;

public sealed class ModelFileTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly float[,] rows = Synthetic.LowRank(40, 8, 2, seed: 21, offset: 3, scale: 10);

    public void Dispose() => folder.Dispose();

    private Autoencoder TrainedModel()
    {
        using var data = InMemoryDataset.FromArray(rows);
        var model = AutoencoderSpec.Dense(8, 2, [6], Activation.Tanh).Build(seed: 4);
        model.Scaler = StandardScaler.Fit(data);
        new Trainer(new TrainerOptions { Epochs = 2, BatchSize = 8 }).Fit(model, data);
        return model;
    }

    private string SavedFile()
    {
        using var model = TrainedModel();
        var path = folder.File("model.aemodel");
        model.Save(path);
        return path;
    }

    [Fact]
    public void Save_then_load_gives_bit_identical_outputs_spec_and_scaler()
    {
        using var model = TrainedModel();
        var path = folder.File("model.aemodel");

        model.Save(path);
        using var loaded = Autoencoder.Load(path);

        loaded.Spec.Should().Be(model.Spec);
        loaded.Scaler!.Kind.Should().Be("standard");
        loaded.Scaler.Offset.Should().Equal(model.Scaler!.Offset);
        loaded.Scaler.Scale.Should().Equal(model.Scaler.Scale);
        loaded.Encode(rows).Should().BeEquivalentTo(model.Encode(rows), o => o.WithStrictOrdering());
        loaded.Reconstruct(rows).Should().BeEquivalentTo(model.Reconstruct(rows), o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_model_without_a_scaler_round_trips_without_one()
    {
        using var model = AutoencoderSpec.Dense(8, 2, [6]).Build(seed: 1);
        var path = folder.File("plain.aemodel");

        model.Save(path);
        using var loaded = Autoencoder.Load(path);

        loaded.Scaler.Should().BeNull();
        loaded.Reconstruct(rows).Should().BeEquivalentTo(model.Reconstruct(rows), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Saving_over_an_existing_file_replaces_it_and_leaves_no_temporary_file()
    {
        var path = folder.File("model.aemodel");
        File.WriteAllText(path, "old");
        using var model = TrainedModel();

        model.Save(path);

        Directory.GetFiles(folder.Path).Should().Equal(path);
        using var loaded = Autoencoder.Load(path);
        loaded.Spec.Should().Be(model.Spec);
    }

    [Fact]
    public void The_file_is_a_safetensors_container_with_the_spec_in_its_metadata()
    {
        var bytes = File.ReadAllBytes(SavedFile());
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength))!.AsObject();

        header["__metadata__"]!["format"]!.GetValue<string>().Should().Be("autoencoders-model");
        header["__metadata__"]!["spec"]!.GetValue<string>().Should().Contain("\"Tanh\"");
        header.Where(kv => kv.Key != "__metadata__").Should().OnlyContain(kv => kv.Value!["dtype"]!.GetValue<string>() == "F32");
        header.Select(kv => kv.Key).Should().Contain(["scaler.offset", "scaler.scale"]);
    }

    [Fact]
    public void A_flipped_weight_byte_is_reported_as_corruption()
    {
        var path = SavedFile();
        var bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        var act = () => Autoencoder.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage("*checksum*corrupt*");
        File.Exists(path).Should().BeTrue();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(100)]
    [InlineData(-10)]
    public void A_truncated_file_is_refused(int keep)
    {
        var path = SavedFile();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(keep >= 0 ? keep : bytes.Length + keep)]);

        var act = () => Autoencoder.Load(path);

        act.Should().Throw<ModelFileException>();
    }

    [Fact]
    public void A_header_claiming_more_bytes_than_the_file_has_is_refused_without_reading_them()
    {
        var path = folder.File("huge.aemodel");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue / 2);
        File.WriteAllBytes(path, bytes);

        var act = () => Autoencoder.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage("*truncated or not a model file*");
    }

    [Fact]
    public void Random_bytes_are_refused()
    {
        var path = folder.File("noise.aemodel");
        var noise = new byte[4096];
        new Random(3).NextBytes(noise);
        File.WriteAllBytes(path, noise);

        var act = () => Autoencoder.Load(path);

        act.Should().Throw<ModelFileException>();
    }

    [Fact]
    public void A_foreign_safetensors_file_is_refused_as_not_a_model_file()
    {
        var path = RewriteHeader(SavedFile(), header => header["__metadata__"] = new JsonObject { ["format"] = "pt" });

        var act = () => Autoencoder.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage("*not an Autoencoders model file*");
    }

    [Fact]
    public void A_newer_format_version_is_refused_with_the_versions()
    {
        var path = RewriteHeader(SavedFile(), header => header["__metadata__"]!["format_version"] = "2");

        var act = () => Autoencoder.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage("*version '2'*reads version 1*");
    }

    [Fact]
    public void A_tensor_whose_shape_does_not_match_the_spec_is_refused_by_name()
    {
        var path = RewriteHeader(SavedFile(), header =>
        {
            var name = header.Select(kv => kv.Key).First(k => k.EndsWith("weight", StringComparison.Ordinal));
            var shape = header[name]!["shape"]!.AsArray();
            header[name]!["shape"] = new JsonArray(shape[1]!.GetValue<long>(), shape[0]!.GetValue<long>());
        });

        var act = () => Autoencoder.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage("*tensor '*weight' has shape*");
    }

    [Fact]
    public void A_missing_tensor_is_refused_by_name()
    {
        var path = RewriteHeader(SavedFile(), header => header.Remove("scaler.scale"));

        var act = () => Autoencoder.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage("*tensor 'scaler.scale' is missing*");
    }

    [Fact]
    public void A_missing_file_is_reported_as_such()
    {
        var act = () => Autoencoder.Load(folder.File("nothing-here.aemodel"));

        act.Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public void An_edited_header_is_reported_as_corruption_even_when_the_weights_are_intact()
    {
        var path = RewriteHeader(SavedFile(), header => header["__metadata__"]!["scaler"] = "minmax", reseal: false);

        var act = () => Autoencoder.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage("*checksum of the header and weights*");
    }

    /// <summary>Changes the JSON header and, as an attacker would, recomputes the length and the checksum.</summary>
    private static string RewriteHeader(string path, Action<JsonObject> change, bool reseal = true)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength))!.AsObject();
        change(header);
        var newHeader = Encoding.UTF8.GetBytes(header.ToJsonString());
        if (reseal)
        {
            newHeader = ModelFileChecksum.Seal(newHeader, bytes.AsSpan(8 + headerLength));
        }

        var result = new byte[8 + newHeader.Length + (bytes.Length - 8 - headerLength)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)newHeader.Length);
        newHeader.CopyTo(result, 8);
        bytes.AsSpan(8 + headerLength).CopyTo(result.AsSpan(8 + newHeader.Length));
        File.WriteAllBytes(path, result);
        return path;
    }
}
