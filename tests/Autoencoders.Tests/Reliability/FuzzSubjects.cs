using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Reliability;

/// <summary>
/// Valid files to mutate, written once per test class: a dense model with a scaler, a convolutional
/// VAE with batch norm (int64 counters), an anomaly detector, a time-series detector and a training checkpoint.
/// </summary>
public sealed class FuzzSubjects : IDisposable
{
    private readonly TempFolder folder = new();

    public FuzzSubjects()
    {
        var rows = Synthetic.LowRank(64, 8, 2, seed: 1, offset: 3, scale: 2);
        using (var dense = AutoencoderSpec.Dense(8, 2, [6]).Build(seed: 1))
        {
            dense.Scaler = StandardScaler.Fit(rows);
            dense.Save(folder.File("dense.aemodel"));
        }

        using (var vae = AutoencoderSpec.Convolutional([1, 4, 4], 2, [2], batchNorm: true).WithGaussianBottleneck().Build(seed: 2))
        {
            vae.Save(folder.File("vae.aemodel"));
        }

        var fast = new TrainerOptions { Epochs = 2, BatchSize = 32, Threads = 1 };
        using (var detector = AnomalyDetector.Fit(rows, AnomalyDetectorOptions.Default with { Threshold = Threshold.FalsePositiveRate(0.1), Training = fast, Spec = AutoencoderSpec.Dense(8, 2, [6]), FeatureNames = [.. "abcdefgh".Select(c => c.ToString())] }))
        {
            detector.Save(folder.File("detector.aemodel"));
        }

        var series = new float[80, 2];
        for (var t = 0; t < 80; t++)
        {
            (series[t, 0], series[t, 1]) = ((float)Math.Sin(t / 3.0), (float)Math.Cos(t / 5.0));
        }

        var seriesOptions = TimeSeriesDetectorOptions.Default with
        {
            WindowLength = 6, EnsembleSize = 2, Training = fast, Postprocessing = SeriesPostprocessing.Default, ChannelNames = ["a", "b"], Threshold = Threshold.MeanPlusStd(3),
            Spec = AutoencoderSpec.Dense([2, 6], 2, [6]),
        };
        using (var seriesDetector = TimeSeriesAnomalyDetector.Fit(series, options: seriesOptions))
        {
            seriesDetector.Save(folder.File("series.aemodel"));
        }

        SeriesProbe = series;
        SeriesDetector = File.ReadAllBytes(folder.File("series.aemodel"));
        Models = [File.ReadAllBytes(folder.File("dense.aemodel")), File.ReadAllBytes(folder.File("vae.aemodel"))];
        Detector = File.ReadAllBytes(folder.File("detector.aemodel"));

        CheckpointData = InMemoryDataset.FromArray(rows);
        CheckpointOptions = new TrainerOptions { Epochs = 2, BatchSize = 32, Threads = 1, Seed = 5, ValidationFraction = 0.25, CheckpointPath = folder.File("run.ckpt") };
        using var model = CheckpointSpec.Build(seed: 3);
        using var cancel = new CancellationTokenSource();
        try
        {
            new Trainer(CheckpointOptions).Fit(model, CheckpointData, progress: new SynchronousProgress<EpochReport>(_ => cancel.Cancel()), cancellationToken: cancel.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopped after the first epoch's checkpoint, as intended.
        }

        Checkpoint = File.ReadAllBytes(CheckpointOptions.CheckpointPath!);
    }

    public static AutoencoderSpec CheckpointSpec { get; } = AutoencoderSpec.Dense(8, 2, [6]);

    /// <summary>Plain model files.</summary>
    public byte[][] Models { get; }

    /// <summary>An anomaly detector file.</summary>
    public byte[] Detector { get; }

    /// <summary>A time-series detector file: an ensemble of two, with post-processing.</summary>
    public byte[] SeriesDetector { get; }

    /// <summary>The series the time-series detector was fitted on.</summary>
    public float[,] SeriesProbe { get; }

    /// <summary>A checkpoint written after epoch 1 of a 2-epoch run of <see cref="CheckpointOptions"/>.</summary>
    public byte[] Checkpoint { get; }

    public InMemoryDataset CheckpointData { get; }

    public TrainerOptions CheckpointOptions { get; }

    public string Scratch(string name) => folder.File(name);

    public void Dispose()
    {
        CheckpointData.Dispose();
        folder.Dispose();
    }
}
