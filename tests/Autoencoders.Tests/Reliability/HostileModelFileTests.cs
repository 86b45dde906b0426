using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Autoencoders.Applications;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Reliability;

/// <summary>
/// Regression tests for the model-file bugs the fuzzers found: hand-made hostile headers whose checksum
/// is right, so that only the reader's own checks stand between them and the caller.
/// </summary>
public sealed class HostileModelFileTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_header_with_a_repeated_key_is_a_ModelFileException()
    {
        var path = Forge(Saved(), header => header.Replace("{\"", "{\"__metadata__\":{},\"", StringComparison.Ordinal));

        var act = () => Autoencoder.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage("*safetensors layout*");
    }

    [Fact]
    public void A_spec_claiming_a_huge_model_is_refused_before_anything_is_allocated()
    {
        // 4·10⁹ weights in a hidden layer of a file that carries a few hundred bytes.
        var path = Forge(Saved(), header => header.Replace("\\u0022hidden\\u0022:[6]", "\\u0022hidden\\u0022:[500000000]", StringComparison.Ordinal));
        File.ReadAllText(path).Should().Contain("500000000");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var act = () => Autoencoder.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage("*describes a model of at least*weights*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Fact]
    public void Unreadable_feature_names_of_a_detector_are_a_ModelFileException()
    {
        var rows = Synthetic.LowRank(64, 8, 2, seed: 1);
        using (var detector = AnomalyDetector.Fit(rows, AnomalyDetectorOptions.Default with { Training = new TrainerOptions { Epochs = 1, Threads = 1 }, Spec = AutoencoderSpec.Dense(8, 2, [6]), FeatureNames = ["a", "b", "c", "d", "e", "f", "g", "h"] }))
        {
            detector.Save(folder.File("detector.aemodel"));
        }

        var path = Forge(File.ReadAllBytes(folder.File("detector.aemodel")), header => header.Replace("[\\u0022a\\u0022", "[\\u0022a", StringComparison.Ordinal));

        var act = () => AnomalyDetector.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage("*feature names*");
    }

    [Fact]
    public void A_checkpoint_whose_progress_is_not_JSON_is_a_ModelFileException()
    {
        using var data = Autoencoders.Data.InMemoryDataset.FromArray(Synthetic.LowRank(64, 8, 2, seed: 1));
        var options = new TrainerOptions { Epochs = 3, Threads = 1, CheckpointPath = folder.File("run.ckpt") };
        using var model = AutoencoderSpec.Dense(8, 2, [4]).Build();
        using var cancel = new CancellationTokenSource();
        var stop = new SynchronousProgress<EpochReport>(_ => cancel.Cancel());
        ((Action)(() => new Trainer(options).Fit(model, data, progress: stop, cancellationToken: cancel.Token))).Should().Throw<OperationCanceledException>();
        var forged = Forge(File.ReadAllBytes(options.CheckpointPath!), header => header.Replace("\"app.state\":\"{", "\"app.state\":\"{{", StringComparison.Ordinal));
        File.ReadAllText(forged).Should().Contain("\"app.state\":\"{{");
        File.Copy(forged, options.CheckpointPath!, overwrite: true);

        var act = () => new Trainer(options).Fit(model, data);

        act.Should().Throw<ModelFileException>().WithMessage("*progress is not valid JSON*");
    }

    private byte[] Saved()
    {
        using var model = AutoencoderSpec.Dense(8, 2, [6]).Build(seed: 1);
        model.Save(folder.File("model.aemodel"));
        return File.ReadAllBytes(folder.File("model.aemodel"));
    }

    /// <summary>Edits the JSON header and rewrites the length prefix and checksum to match, as an attacker would.</summary>
    private string Forge(byte[] file, Func<string, string> edit)
    {
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = edit(Encoding.UTF8.GetString(file, 8, length));
        var data = file[(8 + length)..];
        var bytes = Autoencoders.Persistence.ModelFileChecksum.Seal(Encoding.UTF8.GetBytes(header), data);
        var path = folder.File("forged.aemodel");
        using var stream = File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)bytes.Length);
        stream.Write(prefix);
        stream.Write(bytes);
        stream.Write(data);
        return path;
    }
}
