using Autoencoders.Applications;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Persistence;

public sealed class ModelFileInfoTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_detector_file_is_described_with_its_application_fields_spec_and_tensors()
    {
        var rows = Synthetic.LowRank(64, 8, 2, seed: 1);
        var path = folder.File("detector.aemodel");
        long parameters;
        using (var detector = AnomalyDetector.Fit(rows, AnomalyDetectorOptions.Default with { Threshold = Threshold.FalsePositiveRate(0.1), Training = new TrainerOptions { Epochs = 1, Threads = 1 }, Spec = AutoencoderSpec.Dense(8, 2, [6]) }))
        {
            detector.Save(path);
            parameters = detector.Model.parameters().Sum(p => p.numel());
        }

        var info = ModelFileInfo.Read(path);

        info.Path.Should().Be(Path.GetFullPath(path));
        info.Length.Should().Be(new FileInfo(path).Length);
        info.Checksum.Should().MatchRegex("^[0-9a-f]{64}$");
        info.Spec.Should().Be(AutoencoderSpec.Dense(8, 2, [6]));
        info.ScalerKind.Should().Be("standard");
        info.Application!.Kind.Should().Be("anomaly-detector");
        info.Application.Fields.Should().ContainKeys("score", "threshold", "threshold_rule").And.NotContainKey("application");
        info.ParameterCount.Should().Be(parameters);
        info.Tensors.Select(t => t.Name).Should().Contain(["encoder.layers.linear0.weight", "scaler.offset", "scaler.scale", "app.calibration"]);
        info.Tensors.Single(t => t.Name == "encoder.layers.linear0.weight").Shape.Should().Equal(6, 8);
    }

    [Fact]
    public void Reading_a_description_does_not_load_the_weights()
    {
        var path = folder.File("wide.aemodel");
        using (var model = AutoencoderSpec.Dense(1000, 4, [1000]).Build(seed: 1))
        {
            model.Save(path);
        }

        var length = new FileInfo(path).Length;
        length.Should().BeGreaterThan(8_000_000);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var info = ModelFileInfo.Read(path);

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(length / 10, "the weights are streamed through the checksum, not held");
        info.ParameterCount.Should().Be((1000 * 1000) + 1000 + (1000 * 4) + 4 + (4 * 1000) + 1000 + (1000 * 1000) + 1000);
    }

    [Fact]
    public void A_damaged_file_is_refused_as_loading_would_refuse_it()
    {
        var path = folder.File("model.aemodel");
        using (var model = AutoencoderSpec.Dense(8, 2, [6]).Build(seed: 1))
        {
            model.Save(path);
        }

        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var act = () => ModelFileInfo.Read(path);

        act.Should().Throw<ModelFileException>().WithMessage("*checksum*");
        ((Action)(() => ModelFileInfo.Read(folder.File("missing.aemodel")))).Should().Throw<FileNotFoundException>();
    }
}
