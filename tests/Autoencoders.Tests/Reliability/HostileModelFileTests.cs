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
        using (var detector = AnomalyDetector.Fit(rows, AnomalyDetectorOptions.Default with { Threshold = Threshold.FalsePositiveRate(0.1), Training = new TrainerOptions { Epochs = 1, Threads = 1 }, Spec = AutoencoderSpec.Dense(8, 2, [6]), FeatureNames = ["a", "b", "c", "d", "e", "f", "g", "h"] }))
        {
            detector.Save(folder.File("detector.aemodel"));
        }

        var path = Forge(File.ReadAllBytes(folder.File("detector.aemodel")), header => header.Replace("[\\u0022a\\u0022", "[\\u0022a", StringComparison.Ordinal));

        var act = () => AnomalyDetector.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage("*feature names*");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void A_detector_whose_threshold_is_not_finite_is_refused_naming_the_field(string value)
    {
        // Before: "NaN" loaded, and every comparison with it is false, so the detector silently flagged nothing.
        var path = Forge(SavedDetector(), header => Regex.Replace(header, "\"app\\.threshold\":\"[^\"]*\"", $"\"app.threshold\":\"{value}\""));
        File.ReadAllText(path).Should().Contain($"\"app.threshold\":\"{value}\"");

        var act = () => AnomalyDetector.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage($"*threshold (app.threshold) is {(value == "NaN" ? "NaN" : "*")}*must be a finite number*");
    }

    [Fact]
    public void A_detector_whose_calibration_scores_are_not_finite_is_refused_naming_the_field()
    {
        var path = Forge(SavedDetector(), header => header, (header, data) =>
        {
            var start = int.Parse(Regex.Match(header, "\"app\\.calibration\":\\{[^}]*\"data_offsets\":\\[(\\d+),").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(start + 8), float.NaN); // the third score
        });

        var act = () => AnomalyDetector.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage("*calibration score 2 of the detector (app.calibration) is NaN*");
    }

    [Fact]
    public void A_detector_whose_threshold_its_rule_does_not_give_is_refused()
    {
        var saved = SavedDetector();
        using var original = AnomalyDetector.Load(folder.File("detector.aemodel"));
        var moved = (original.DecisionThreshold * 0.999).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var editedThreshold = Forge(saved, header => Regex.Replace(header, "\"app\\.threshold\":\"[^\"]*\"", $"\"app.threshold\":\"{moved}\""));
        var editedRate = Forge(saved, header => header.Replace("\"app.threshold_parameter\":\"0.1\"", "\"app.threshold_parameter\":\"0.2\"", StringComparison.Ordinal), name: "rate.aemodel");
        var unknownRule = Forge(saved, header => header.Replace("\"app.threshold_kind\":\"false-positive-rate\"", "\"app.threshold_kind\":\"lucky\"", StringComparison.Ordinal), name: "rule.aemodel");
        var tooFew = Forge(saved, header => header.Replace("\"app.threshold_parameter\":\"0.1\"", "\"app.threshold_parameter\":\"0.01\"", StringComparison.Ordinal), name: "few.aemodel");
        File.ReadAllText(editedRate).Should().Contain("\"app.threshold_parameter\":\"0.2\"");
        File.ReadAllText(unknownRule).Should().Contain("\"app.threshold_kind\":\"lucky\"");

        ((Action)(() => AnomalyDetector.Load(editedThreshold).Dispose())).Should().Throw<ModelFileException>()
            .WithMessage($"*threshold (app.threshold) is {moved}, but its rule (false-positive rate ≤ 0.1*) gives *for its 13 calibration scores (app.calibration)*");
        ((Action)(() => AnomalyDetector.Load(editedRate).Dispose())).Should().Throw<ModelFileException>().WithMessage("*rule (false-positive rate ≤ 0.2*) gives*");
        ((Action)(() => AnomalyDetector.Load(unknownRule).Dispose())).Should().Throw<ModelFileException>().WithMessage("*app.threshold_kind 'lucky'*");
        ((Action)(() => AnomalyDetector.Load(tooFew).Dispose())).Should().Throw<ModelFileException>().WithMessage("*13 calibration scores (app.calibration) cannot calibrate*0.01*at least 99*");
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

    /// <summary>A detector (false-positive rate 0.1 on 13 held-out rows) saved as <c>detector.aemodel</c>; its bytes.</summary>
    private byte[] SavedDetector()
    {
        var rows = Synthetic.LowRank(64, 8, 2, seed: 1);
        var options = AnomalyDetectorOptions.Default with { Threshold = Threshold.FalsePositiveRate(0.1), Training = new TrainerOptions { Epochs = 1, Threads = 1 }, Spec = AutoencoderSpec.Dense(8, 2, [6]) };
        using (var detector = AnomalyDetector.Fit(rows, options))
        {
            detector.CalibrationCount.Should().Be(13);
            detector.Save(folder.File("detector.aemodel"));
        }

        return File.ReadAllBytes(folder.File("detector.aemodel"));
    }

    /// <summary>
    /// Edits the JSON header (and, if asked, the data after it, given the original header) and rewrites the
    /// length prefix and checksum to match, as an attacker would.
    /// </summary>
    private string Forge(byte[] file, Func<string, string> edit, Action<string, byte[]>? editData = null, string name = "forged.aemodel")
    {
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var original = Encoding.UTF8.GetString(file, 8, length);
        var header = edit(original);
        var data = file[(8 + length)..];
        editData?.Invoke(original, data);
        var bytes = Autoencoders.Persistence.ModelFileChecksum.Seal(Encoding.UTF8.GetBytes(header), data);
        var path = folder.File(name);
        using var stream = File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)bytes.Length);
        stream.Write(prefix);
        stream.Write(bytes);
        stream.Write(data);
        return path;
    }
}
