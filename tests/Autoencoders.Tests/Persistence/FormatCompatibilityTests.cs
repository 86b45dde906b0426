using System.Globalization;
using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Persistence;

/// <summary>
/// Files written by format version 1 as first released (the files in <c>Fixtures/</c>, written by the
/// code at commit 80dc0a8: a dense model with a scaler, a convolutional VAE with batch norm, an anomaly
/// detector and a training checkpoint with best weights) still load, give the outputs recorded then,
/// and are written again byte for byte.
/// </summary>
public sealed class FormatCompatibilityTests : IDisposable
{
    private static readonly float[,] Rows = Synthetic.LowRank(64, 8, 2, seed: 1, offset: 3, scale: 2);
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string Fixture(string name) => Path.Combine(Autoencoders.Tests.Data.TestPaths.RepoRoot, "tests", "Autoencoders.Tests", "Persistence", "Fixtures", name);

    private static double[] Recorded(string name) =>
        File.ReadAllLines(Fixture(name)).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void A_version_1_model_loads_and_encodes_as_it_did_when_written()
    {
        using var model = Autoencoder.Load(Fixture("dense-v1.aemodel"));

        model.Scaler!.Kind.Should().Be("standard");
        model.Encode(Rows).Cast<float>().Should().Equal(Recorded("dense-v1.encode.txt").Select(v => (float)v));
    }

    [Fact]
    public void Todays_writer_writes_the_version_1_bytes_for_the_same_models()
    {
        using (var dense = AutoencoderSpec.Dense(8, 2, [6]).Build(seed: 1))
        {
            dense.Scaler = StandardScaler.Fit(Rows);
            dense.Save(folder.File("dense.aemodel"));
        }

        using (var vae = AutoencoderSpec.Convolutional([1, 4, 4], 2, [2], batchNorm: true).WithGaussianBottleneck().Build(seed: 2))
        {
            vae.Save(folder.File("vae.aemodel"));
        }

        File.ReadAllBytes(folder.File("dense.aemodel")).Should().Equal(File.ReadAllBytes(Fixture("dense-v1.aemodel")));
        File.ReadAllBytes(folder.File("vae.aemodel")).Should().Equal(File.ReadAllBytes(Fixture("conv-vae-v1.aemodel")));
    }

    [Fact]
    public void A_version_1_detector_loads_and_scores_as_it_did_when_written()
    {
        using var detector = AnomalyDetector.Load(Fixture("detector-v1.aemodel"));

        detector.FeatureNames.Should().Equal("a", "b", "c", "d", "e", "f", "g", "h");
        detector.Score(Rows).Should().Equal(Recorded("detector-v1.score.txt"));
        detector.DecisionThreshold.Should().Be(7.6169615609198775, "its threshold loads unchanged");
        detector.Warnings.Should().ContainSingle().Which.Should().Contain("saved before false-positive-rate thresholds were split-conformal");
    }

    [Fact]
    public void A_version_1_checkpoint_resumes()
    {
        // The run that wrote it: stopped after epoch 1 of 2.
        var checkpoint = folder.File("run.ckpt");
        File.Copy(Fixture("checkpoint-v1.ckpt"), checkpoint);
        using var data = InMemoryDataset.FromArray(Rows);
        var options = new TrainerOptions { Epochs = 2, BatchSize = 32, Threads = 1, Seed = 5, ValidationFraction = 0.25, Patience = 5, RestoreBestWeights = true, CheckpointPath = checkpoint };
        using var model = AutoencoderSpec.Dense(8, 2, [6]).Build(seed: 3);

        var history = new Trainer(options).Fit(model, data);

        history.TrainLosses.Should().HaveCount(2, "the first epoch comes from the checkpoint");
        File.Exists(checkpoint).Should().BeFalse("a finished run removes its checkpoint");
    }

    [Theory]
    [InlineData("dense-v1.aemodel", null, 0)]
    [InlineData("conv-vae-v1.aemodel", null, 0)]
    [InlineData("detector-v1.aemodel", "anomaly-detector", 0)]
    [InlineData("checkpoint-v1.ckpt", "training-checkpoint", 3)]
    public void Version_1_files_are_described_without_loading(string name, string? application, int blobsAtLeast)
    {
        var info = ModelFileInfo.Read(Fixture(name));

        info.Application?.Kind.Should().Be(application);
        (info.Application is null).Should().Be(application is null);
        info.Tensors.Count(t => t.DType == "U8").Should().BeGreaterThanOrEqualTo(blobsAtLeast);
        info.FormatVersion.Should().Be(1);
    }
}
