using System.CommandLine;
using System.Globalization;
using Autoencoders.Applications;
using Autoencoders.Export;
using Autoencoders.Model;
using Autoencoders.Persistence;

namespace Autoencoders.Cli.Commands;

/// <summary><c>autoencoders export</c>: writes a saved model or detector as an ONNX file.</summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var modelPath = new Argument<string>("model") { Description = "A model or detector file." };
        var output = new Option<string>("--output", "-o") { Description = "The ONNX file to write.", Required = true };
        var part = new Option<OnnxPart>("--part")
        {
            Description = "full (samples → reconstructions), encoder (samples → codes), decoder (codes → reconstructions), or detector (samples → score, is_anomaly; a detector file only).",
            DefaultValueFactory = _ => OnnxPart.Full,
        };
        var logVariance = new Option<bool>("--log-variance") { Description = "With --part encoder of a variational model: also output the posterior's log-variance." };
        var command = new Command("export", """
            Writes a saved model as an ONNX file (opset 17, any batch size) that ONNX Runtime runs anywhere without
            TorchSharp. The model's scaler is folded in: the graph takes and returns samples in the data's units.
            Inputs and outputs: 'input' [batch, ...shape] (or 'code' for the decoder) → 'reconstruction', 'code'
            (and 'log_variance'), or 'score' [batch] and 'is_anomaly' [batch] for a detector.

            Examples:
              autoencoders export sensors.aemodel -o sensors.onnx
              autoencoders export sensors.aemodel -o encoder.onnx --part encoder
              autoencoders export detector.aemodel -o detector.onnx --part detector
            """);
        command.Arguments.Add(modelPath);
        command.Options.Add(output);
        command.Options.Add(part);
        command.Options.Add(logVariance);
        command.SetAction(result => CliApp.Guard(stderr, () =>
        {
            var path = CliApp.ExistingFile(result.GetValue(modelPath)!, "model");
            var target = result.GetValue(output)!;
            var options = new OnnxExportOptions { Part = result.GetValue(part), IncludeLogVariance = result.GetValue(logVariance) };
            try
            {
                if (options.Part == OnnxPart.Detector)
                {
                    using var detector = AnomalyDetector.Load(path);
                    detector.ExportOnnx(target, options);
                }
                else
                {
                    using var model = Autoencoder.Load(path);
                    model.ExportOnnx(target, options);
                }
            }
            catch (NotSupportedException e)
            {
                // A model the exporter cannot write is the user's input, not a failure of the tool.
                throw new UsageException(e.Message);
            }

            var size = new FileInfo(target).Length.ToString("n0", CultureInfo.InvariantCulture);
            stderr.WriteLine($"wrote {Path.GetFullPath(target)} ({size} bytes, {options.Part!.Value.ToString().ToLowerInvariant()}, ONNX opset 17)");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
