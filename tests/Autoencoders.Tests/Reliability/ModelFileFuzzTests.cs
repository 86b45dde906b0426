using Autoencoders.Applications;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Training;
using CsCheck;
using Xunit.Abstractions;

namespace Autoencoders.Tests.Reliability;

/// <summary>
/// Mutated, truncated and forged model files (plain models, anomaly detectors, time-series detectors, training checkpoints)
/// only ever give the documented exceptions, within a deadline, with allocations bounded by the file's
/// length; a file that does load holds no more weights than its bytes can carry.
/// </summary>
public sealed class ModelFileFuzzTests(FuzzSubjects subjects, ITestOutputHelper output) : IClassFixture<FuzzSubjects>
{
    [Fact]
    public void Mutated_model_files_give_only_ModelFileException_or_a_model_the_file_can_hold()
    {
        var generator = Gen.Select(Gen.Int[0, subjects.Models.Length - 1], ModelFileMutation.Gen, (i, mutation) => (File: subjects.Models[i], Mutation: mutation));
        var path = subjects.Scratch("fuzz.aemodel");

        var outcomes = Fuzz.Run("model file", generator, FuzzSettings.Cases(1500), c => Check(c.Mutation.Apply(c.File), path, p =>
        {
            using var model = Autoencoder.Load(p);
            return WeightBytes(model);
        }), output);

        outcomes.Keys.Should().BeSubsetOf(["ok", nameof(ModelFileException)]);
    }

    [Fact]
    public void Mutated_anomaly_detector_files_give_only_ModelFileException_or_a_working_detector()
    {
        var path = subjects.Scratch("fuzz-detector.aemodel");
        var probe = new float[2, 8];

        var outcomes = Fuzz.Run("anomaly detector file", ModelFileMutation.Gen, FuzzSettings.Cases(1000), m => Check(m.Apply(subjects.Detector), path, p =>
        {
            using var detector = AnomalyDetector.Load(p);
            detector.Score(probe).Should().HaveCount(2);
            detector.PValue(probe).Should().HaveCount(2);
            return WeightBytes(detector.Model);
        }), output);

        outcomes.Keys.Should().BeSubsetOf(["ok", nameof(ModelFileException)]);
    }

    [Fact]
    public void Mutated_time_series_detector_files_give_only_ModelFileException_or_a_working_detector()
    {
        var path = subjects.Scratch("fuzz-series.aemodel");

        var outcomes = Fuzz.Run("time-series detector file", ModelFileMutation.Gen, FuzzSettings.Cases(500), m => Check(m.Apply(subjects.SeriesDetector), path, p =>
        {
            using var detector = TimeSeriesAnomalyDetector.Load(p);
            detector.Detect(subjects.SeriesProbe).Steps.Should().HaveCount(80);
            return detector.Models.Sum(WeightBytes);
        }), output);

        outcomes.Keys.Should().BeSubsetOf(["ok", nameof(ModelFileException)]);
    }

    [Fact]
    public void Mutated_checkpoints_give_only_documented_exceptions_or_a_resumed_run()
    {
        var options = subjects.CheckpointOptions;
        var outcomes = Fuzz.Run("checkpoint", ModelFileMutation.Gen, FuzzSettings.Cases(300), m => Check(m.Apply(subjects.Checkpoint), options.CheckpointPath!, _ =>
        {
            using var model = FuzzSubjects.CheckpointSpec.Build(seed: 3);
            new Trainer(options).Fit(model, subjects.CheckpointData);
            return WeightBytes(model);
        },
        // A checkpoint of another run (the fingerprint in its progress differs) is refused with an
        // InvalidOperationException that says so; a forged checkpoint with non-finite weights diverges.
        typeof(InvalidOperationException), typeof(TrainingDivergedException)), output);

        outcomes.Keys.Should().BeSubsetOf(["ok", nameof(ModelFileException), nameof(InvalidDataException), nameof(InvalidOperationException), nameof(TrainingDivergedException)]);
    }

    private static long WeightBytes(Autoencoder model) => model.parameters().Sum(p => p.numel() * 4);

    private static string Check(byte[] file, string path, Func<string, long> load, params Type[] alsoAllowed)
    {
        File.WriteAllBytes(path, file);
        return Fuzz.Classify(
            // Loaded: the weights it allocated must have been carried by the file.
            () => load(path).Should().BeLessThanOrEqualTo(file.Length),
            allocationLimit: (16L * file.Length) + (8 << 20),
            [typeof(ModelFileException), typeof(InvalidDataException), .. alsoAllowed]);
    }
}
