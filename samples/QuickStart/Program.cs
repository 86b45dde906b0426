// Quick start: train a vanilla autoencoder on the Fashion-MNIST subset that ships with the repository,
// compare its test error with predicting the mean image, save it, reload it and check the reloaded
// model gives bit-identical codes.
//
//   dotnet run -c Release --project samples/QuickStart [-- <fashion-mnist folder>]
using Autoencoders.Samples;
using System.Diagnostics;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Training;
using TorchSharp;

var folder = args.Length > 0 ? args[0] : RepositoryData.Find("fashion-mnist-subset");
Console.WriteLine($"Loading Fashion-MNIST from {folder}");
using var fashion = FashionMnist.Load(folder);
Console.WriteLine($"  {fashion.Train.Count} training images, {fashion.Test.Count} test images, 28×28 grey, pixels in [0, 1]");

// 784 → 256 → 64 → 16 → 64 → 256 → 784, ReLU, sigmoid output (pixels are in [0, 1]).
var spec = AutoencoderSpec.Dense([1, 28, 28], latent: 16, hidden: [256, 64], output: OutputActivation.Sigmoid);
using var model = spec.Build(seed: 42);
var options = new TrainerOptions
{
    Epochs = 25,
    BatchSize = 64,
    LearningRate = 2e-3,
    Schedule = LearningRateSchedule.Cosine(minimum: 1e-4),
    ValidationFraction = 0.1,
    Patience = 5,
    Seed = 42,
};

Console.WriteLine($"Training {spec.ToJson()}");
var progress = new Progress(options.Epochs);
var history = new Trainer(options).Fit(model, fashion.Train, progress: progress);
Console.WriteLine(
    $"Trained {history.Epochs.Count} epochs in {history.Duration.TotalSeconds:f1} s; best validation loss at epoch {history.BestEpoch}" +
    (history.RestoredBestWeights ? " (weights restored from it)" : string.Empty));

var testMse = model.MeanSquaredError(fashion.Test);
var baselineMse = MeanImageMse(fashion.Train, fashion.Test);
Console.WriteLine();
Console.WriteLine($"Test MSE per pixel, autoencoder (16-D code): {testMse:f5}");
Console.WriteLine($"Test MSE per pixel, predicting the mean image: {baselineMse:f5}");
Console.WriteLine($"The autoencoder removes {100 * (1 - (testMse / baselineMse)):f1}% of the error of the mean.");

var path = Path.Combine(Path.GetTempPath(), "quickstart.aemodel");
model.Save(path);
using var reloaded = Autoencoder.Load(path);
var before = model.Encode(fashion.Test);
var after = reloaded.Encode(fashion.Test);
var identical = before.Cast<float>().SequenceEqual(after.Cast<float>());
Console.WriteLine();
Console.WriteLine($"Saved to {path} ({new FileInfo(path).Length / 1024} KiB) and reloaded.");
Console.WriteLine($"Reloaded model's test MSE: {reloaded.MeanSquaredError(fashion.Test):f5}; codes of all {fashion.Test.Count} test images bit-identical: {(identical ? "yes" : "NO")}");
return identical && testMse < baselineMse ? 0 : 1;

static double MeanImageMse(InMemoryDataset train, InMemoryDataset test)
{
    using var scope = torch.NewDisposeScope();
    var mean = train.Features.mean([0], keepdim: true);
    return (test.Features - mean).square().mean().item<float>();
}

/// <summary>Prints one line per epoch with a text bar.</summary>
internal sealed class Progress(int epochs) : IProgress<EpochReport>
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public void Report(EpochReport value)
    {
        var done = (int)Math.Round(20.0 * value.Epoch / epochs);
        Console.WriteLine(
            $"  [{new string('#', done)}{new string('.', 20 - done)}] epoch {value.Epoch,2}/{epochs}  " +
            $"train MSE/pixel {value.TrainLoss / 784:f5}  validation {value.ValidationLoss / 784:f5}  " +
            $"{value.SamplesPerSecond,6:n0} img/s  {clock.Elapsed.TotalSeconds,5:f1} s{(value.IsBest ? "  best" : string.Empty)}");
    }
}
