// Your own module as the encoder: a residual MLP written here, registered by name, trained by the
// library's trainer with its bottleneck and decoder, saved to one file, and loaded back (the file holds
// the module's name and parameters, never code). Runs in well under a minute on the shipped subset.
//
//   dotnet run -c Release --project samples/CustomModules [-- <fashion-mnist folder>]
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Samples;
using Autoencoders.Training;
using CustomModules;

// 1. Register the factory once, at start-up, in every program that builds or loads such a model.
ModuleRegistry.RegisterEncoder<ResidualMlpParameters>(
    "ResidualMlp", (context, parameters) => new ResidualMlpEncoder(context.FeatureCount, parameters));

// 2. Name it in a spec: here the encoder of a dense preset (whose decoder, 16 → 256 → 784, stays).
var spec = AutoencoderSpec.Dense([1, 28, 28], latent: 16, hidden: [256], output: OutputActivation.Sigmoid)
    .WithEncoder(ModuleSpec.Create("ResidualMlp", new ResidualMlpParameters(Width: 256, Blocks: 2)));
Console.WriteLine($"Spec: {spec.ToJson()}");

var folder = args.Length > 0 ? args[0] : RepositoryData.Find("fashion-mnist-subset");
using var fashion = FashionMnist.Load(folder);
Console.WriteLine($"Fashion-MNIST subset: {fashion.Train.Count} training and {fashion.Test.Count} test images from {folder}");

// 3. Build, train and use it like any other model.
using var model = spec.Build(seed: 7);
Console.WriteLine($"Encoder: {model.Encoder.OutputSize} features per image (found by a trial batch), {model.parameters().Sum(p => p.numel()):n0} weights in the model");
var options = new TrainerOptions { Epochs = 8, BatchSize = 64, LearningRate = 2e-3, ValidationFraction = 0.1, Seed = 7 };
var history = new Trainer(options).Fit(model, fashion.Train, progress: new Progress<EpochReport>(Console.WriteLine));
Console.WriteLine($"Trained {history.Epochs.Count} epochs in {history.Duration.TotalSeconds:f1} s; test MSE per pixel {model.MeanSquaredError(fashion.Test):f5}");

// 4. Save, load and encode: the reloaded model rebuilds the encoder through the registered factory.
var path = Path.Combine(Path.GetTempPath(), "custom-modules.aemodel");
model.Save(path);
using var reloaded = Autoencoder.Load(path);
var before = model.Encode(fashion.Test);
var after = reloaded.Encode(fashion.Test);
var identical = before.Cast<float>().SequenceEqual(after.Cast<float>());
Console.WriteLine($"Saved to {path} ({new FileInfo(path).Length / 1024} KiB), reloaded; codes of all {fashion.Test.Count} test images bit-identical: {(identical ? "yes" : "NO")}");
return identical ? 0 : 1;
