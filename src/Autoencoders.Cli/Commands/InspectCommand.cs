using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Autoencoders.Persistence;

namespace Autoencoders.Cli.Commands;

/// <summary><c>autoencoders inspect</c>: prints what a model file holds.</summary>
internal static class InspectCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var modelPath = new Argument<string>("model") { Description = "A model or detector file." };
        var command = new Command("inspect", """
            Prints what a model file holds: its format and version, the application that wrote it (a reducer, an
            anomaly detector with its threshold, a training checkpoint) and its fields, the spec (architecture, as
            JSON), the scaler, and every tensor's name, type and shape. The checksum, the spec and every tensor's
            type and shape are checked; the weights are not loaded.

            Examples:
              autoencoders inspect sensors.aemodel
              autoencoders inspect detector.aemodel
            """);
        command.Arguments.Add(modelPath);
        command.SetAction(result => CliApp.Guard(stderr, () =>
        {
            var info = ModelFileInfo.Read(CliApp.ExistingFile(result.GetValue(modelPath)!, "model"));
            var invariant = CultureInfo.InvariantCulture;
            var spec = info.Spec;
            stdout.WriteLine($"file            {info.Path} ({info.Length.ToString("n0", invariant)} bytes)");
            stdout.WriteLine($"format          {ModelFileInfo.FormatName} version {info.FormatVersion} (safetensors container)");
            stdout.WriteLine($"checksum        sha256 {info.Checksum} (verified)");
            stdout.WriteLine($"application     {info.Application?.Kind ?? "none (a plain model)"}");
            foreach (var (key, value) in info.Application?.Fields ?? new Dictionary<string, string>())
            {
                stdout.WriteLine($"  {key,-13} {(value.Length > 200 ? value[..200] + "…" : value)}");
            }

            stdout.WriteLine($"model           {spec.FeatureCount} features [{string.Join(", ", spec.InputShape)}] → {spec.Bottleneck.Latent} codes, {info.ParameterCount.ToString("n0", invariant)} parameters");
            stdout.WriteLine($"scaler          {info.ScalerKind ?? "none"}{(info.ScalerKind is null ? string.Empty : $" over {spec.FeatureCount} features")}");
            stdout.WriteLine("spec");
            using (var json = JsonDocument.Parse(spec.ToJson()))
            {
                var pretty = JsonSerializer.Serialize(json.RootElement, new JsonSerializerOptions { WriteIndented = true });
                foreach (var line in pretty.Split('\n'))
                {
                    stdout.WriteLine("  " + line.TrimEnd('\r'));
                }
            }

            stdout.WriteLine($"tensors         {info.Tensors.Count}");
            foreach (var tensor in info.Tensors)
            {
                stdout.WriteLine($"  {tensor.Name,-40} {tensor.DType,-4} [{string.Join(", ", tensor.Shape)}]");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
