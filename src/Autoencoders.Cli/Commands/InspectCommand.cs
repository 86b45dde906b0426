using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Autoencoders.Model;

namespace Autoencoders.Cli.Commands;

/// <summary><c>autoencoders inspect</c>: prints what a model file holds.</summary>
internal static class InspectCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var modelPath = new Argument<string>("model") { Description = "A model or detector file." };
        var command = new Command("inspect", """
            Prints what a model file holds: its format and version, the application that wrote it (a reducer or an
            anomaly detector with its threshold), the spec (architecture, as JSON), the scaler, and every tensor's
            name, type and shape. The file is fully loaded, so its checksum and shapes are checked too.

            Examples:
              autoencoders inspect sensors.aemodel
              autoencoders inspect detector.aemodel
            """);
        command.Arguments.Add(modelPath);
        command.SetAction(result => CliApp.Guard(stderr, () =>
        {
            var path = CliApp.ExistingFile(result.GetValue(modelPath)!, "model");
            var header = ModelFileHeader.Read(path);
            using var model = Autoencoder.Load(path); // validates format, version, checksum, names and shapes
            var meta = header.Metadata;
            var invariant = CultureInfo.InvariantCulture;
            stdout.WriteLine($"file            {Path.GetFullPath(path)} ({new FileInfo(path).Length.ToString("n0", invariant)} bytes)");
            stdout.WriteLine($"format          {meta.GetValueOrDefault("format", "?")} version {meta.GetValueOrDefault("format_version", "?")} (safetensors container)");
            stdout.WriteLine($"checksum        sha256 {meta.GetValueOrDefault("sha256", "?")} (verified)");
            stdout.WriteLine($"application     {meta.GetValueOrDefault("app.application", "none (a plain model)")}");
            foreach (var key in new[] { "score", "threshold", "threshold_rule" })
            {
                if (meta.TryGetValue("app." + key, out var value))
                {
                    stdout.WriteLine($"  {key,-13} {value}");
                }
            }

            var parameters = model.parameters().Sum(p => p.numel());
            stdout.WriteLine($"model           {model.FeatureCount} features [{string.Join(", ", model.InputShape)}] → {model.LatentSize} codes, {parameters.ToString("n0", invariant)} parameters");
            stdout.WriteLine($"scaler          {model.Scaler?.Kind ?? "none"}{(model.Scaler is { } s ? $" over {s.FeatureCount} features" : string.Empty)}");
            stdout.WriteLine("spec");
            using (var spec = JsonDocument.Parse(model.Spec.ToJson()))
            {
                var pretty = JsonSerializer.Serialize(spec.RootElement, new JsonSerializerOptions { WriteIndented = true });
                foreach (var line in pretty.Split('\n'))
                {
                    stdout.WriteLine("  " + line.TrimEnd('\r'));
                }
            }

            stdout.WriteLine($"tensors         {header.Tensors.Count}");
            foreach (var (name, dtype, shape) in header.Tensors)
            {
                stdout.WriteLine($"  {name,-40} {dtype,-4} [{string.Join(", ", shape)}]");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
