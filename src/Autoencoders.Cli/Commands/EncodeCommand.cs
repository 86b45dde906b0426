using System.CommandLine;
using Autoencoders.Model;
using Autoencoders.Persistence;

namespace Autoencoders.Cli.Commands;

/// <summary><c>autoencoders encode</c> and <c>autoencoders reconstruct</c>: run a saved model on a data file.</summary>
internal static class EncodeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, bool reconstruct)
    {
        var modelPath = new Argument<string>("model") { Description = "A model file saved by 'train' (or any Autoencoders model file)." };
        var data = new Argument<string>("data") { Description = "A CSV or IDX file with the same features the model was trained on." };
        var output = new Option<string?>("--output", "-o") { Description = "A CSV file to write; standard output when left out." };
        var command = reconstruct
            ? new Command("reconstruct", """
                Writes each sample's reconstruction (in the data's own units) as CSV: what the model keeps of it.

                Examples:
                  autoencoders reconstruct sensors.aemodel sensors.csv -o reconstructed.csv
                  autoencoders reconstruct sensors.aemodel new-rows.csv | head
                """)
            : new Command("encode", """
                Writes each sample's code (the bottleneck; the mean for a VAE, so it is deterministic) as CSV
                with columns z1..zk: a learned, nonlinear dimensionality reduction.

                Examples:
                  autoencoders encode sensors.aemodel sensors.csv -o codes.csv
                  autoencoders encode fashion.aemodel t10k-images-idx3-ubyte.gz > codes.csv
                """);
        command.Arguments.Add(modelPath);
        command.Arguments.Add(data);
        command.Options.Add(output);
        command.SetAction(result => CliApp.Guard(stderr, () =>
        {
            using var model = Autoencoder.Load(CliApp.ExistingFile(result.GetValue(modelPath)!, "model"));
            using var input = InputData.Read(result.GetValue(data)!);
            if (input.FeatureCount != model.FeatureCount)
            {
                throw new UsageException($"The model takes {model.FeatureCount} features per sample; '{input.Path}' has {input.FeatureCount}.");
            }

            var values = reconstruct ? model.Reconstruct(input.Source) : model.Encode(input.Source);
            var header = reconstruct ? input.FeatureNames : Enumerable.Range(1, model.LatentSize).Select(j => $"z{j}").ToArray();
            var path = result.GetValue(output);
            TableWriter.Write(path, stdout, header, TableWriter.Rows(values));
            stderr.WriteLine($"{(reconstruct ? "Reconstructed" : "Encoded")} {values.GetLength(0)} samples{(path is null ? string.Empty : $" into {path}")}.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
