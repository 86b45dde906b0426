using System.CommandLine;
using Autoencoders.Applications;

namespace Autoencoders.Cli.Commands;

/// <summary><c>autoencoders train</c>: trains an autoencoder on a CSV or IDX file and saves it.</summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new Argument<string>("data") { Description = "A numeric CSV (optional header, ',' or ';') or an IDX file (raw or .gz; image bytes are divided by 255). Files above 1 GiB are streamed (see --streaming)." };
        var output = new Option<string>("--output", "-o") { Description = "Where to save the model (spec, scaler and weights in one file).", Required = true };
        var model = new ModelOptions();
        var command = new Command("train", """
            Trains an autoencoder on the samples in a CSV or IDX file and saves it with its scaler.

            Examples:
              autoencoders train sensors.csv -o sensors.aemodel
              autoencoders train sensors.csv -o sensors.aemodel --preset denoising --latent 4 --epochs 50
              autoencoders train train-images-idx3-ubyte.gz -o fashion.aemodel --preset conv --latent 16 --epochs 5
              autoencoders train big-idx2-float -o big.aemodel --streaming on --validation 0      bounded memory, any size
            """);
        command.Arguments.Add(data);
        command.Options.Add(output);
        model.AddTo(command);
        command.SetAction((result, token) => Task.FromResult(CliApp.Guard(stderr, () =>
        {
            using var input = InputData.Read(result.GetValue(data)!, model.BuildStreaming(result));
            stderr.WriteLine($"Read {input.Path}: {input.Description}");
            var spec = model.BuildSpec(result, input);
            using var reducer = AutoencoderReducer.Fit(input.Source, new ReducerOptions
            {
                Components = spec?.Bottleneck.Latent ?? DefaultArchitecture.For(input.SampleShape, input.IsUnitInterval).Bottleneck.Latent,
                Spec = spec,
                Scaling = model.BuildScaling(result),
                Training = model.BuildTraining(result),
                Seed = result.GetValue(model.Seed),
            }, model.BuildProgress(result, stderr), token);
            var path = result.GetValue(output)!;
            reducer.Save(path);
            var history = reducer.History!;
            stdout.WriteLine($"Saved {path}: {reducer.Model.Spec.Backbone.GetType().Name.Replace("BackboneSpec", string.Empty, StringComparison.Ordinal).ToLowerInvariant()} autoencoder, " +
                $"{reducer.Model.FeatureCount} features → {reducer.Model.LatentSize} codes, scaler {reducer.Model.Scaler?.Kind ?? "none"}, " +
                $"{history.Epochs.Count} epochs, final loss {history.Epochs[^1].TrainLoss:g5}" +
                (history.Epochs[^1].ValidationLoss is { } v ? $", validation {v:g5}" : string.Empty) + ".");
            return ExitCodes.Ok;
        })));
        return command;
    }
}
