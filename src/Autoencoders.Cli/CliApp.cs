using System.CommandLine;
using Autoencoders.Cli.Commands;
using Autoencoders.Data;
using Autoencoders.Persistence;
using Autoencoders.Training;

namespace Autoencoders.Cli;

/// <summary>
/// The <c>autoencoders</c> command-line tool. <see cref="Run(string[], TextReader, TextWriter, TextWriter)"/> is the whole program: <c>Main</c> calls it
/// with the console's writers, tests call it with their own.
/// </summary>
/// <remarks>
/// Results go to standard output (CSV or a summary), progress and messages to standard error. Exit codes:
/// <see cref="ExitCodes.Ok"/> (0), <see cref="ExitCodes.BadInput"/> (1: usage, missing or malformed files),
/// <see cref="ExitCodes.Failure"/> (2: the native runtime, diverged training, I/O while writing).
/// </remarks>
public static class CliApp
{
    /// <summary>Runs the tool with <paramref name="args"/>, writing results to <paramref name="output"/> and messages to <paramref name="error"/>.</summary>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, Console.In, output, error);

    /// <summary>Runs the tool with <paramref name="args"/>, reading live input (<c>series score … -</c>) from <paramref name="input"/>.</summary>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var root = new RootCommand("""
            autoencoders: train autoencoders on tables (CSV) or images (IDX), reduce data to codes, reconstruct it,
            detect anomalies and look inside saved models. Models are single files (spec, scaler, weights).

            A typical session:
              autoencoders train sensors.csv -o sensors.aemodel --latent 4     train and save a model
              autoencoders encode sensors.aemodel sensors.csv -o codes.csv     reduce rows to 4 codes each
              autoencoders detect normal.csv -o detector.aemodel              learn what normal looks like
              autoencoders score detector.aemodel today.csv                   flag and explain unusual rows
              autoencoders inspect detector.aemodel                           what a model file holds
              autoencoders export detector.aemodel -o detector.onnx --part detector   run it in ONNX Runtime
              autoencoders series fit machine.csv -o machine.aemodel          learn a sensor log's normal windows
              autoencoders series score machine.aemodel - < feed.csv          score a live feed line by line

            Run 'autoencoders <command> --help' for a command's options and examples.
            Exit codes: 0 ok; 1 bad input or usage; 2 runtime failure (native runtime, diverged training, I/O).
            """)
        {
            TrainCommand.Create(output, error),
            EncodeCommand.Create(output, error, reconstruct: false),
            EncodeCommand.Create(output, error, reconstruct: true),
            DetectCommand.Create(output, error),
            ScoreCommand.Create(output, error),
            InspectCommand.Create(output, error),
            ExportCommand.Create(output, error),
            SeriesCommand.Create(input, output, error),
        };
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return root.Parse(args).Invoke(configuration);
        }
        catch (Exception e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Runs a command's body and turns its exceptions into a message and an exit code.</summary>
    internal static int Guard(TextWriter error, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is UsageException or ModelFileException or InvalidDataException or DataSourceException or FileNotFoundException or DirectoryNotFoundException or ArgumentException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is NativeRuntimeException or TrainingDivergedException or IOException or InvalidOperationException)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Writes each warning on its own line of <paramref name="error"/>.</summary>
    internal static void WriteWarnings(TextWriter error, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings)
        {
            error.WriteLine($"warning: {warning}");
        }
    }

    /// <summary>The value of a count option, or a usage error when it is negative.</summary>
    internal static int NotNegative(int value, string option) =>
        value >= 0 ? value : throw new UsageException($"{option} must be 0 or more, not {value}.");

    /// <summary>The path, or a usage error saying which file is missing.</summary>
    internal static string ExistingFile(string path, string what) =>
        File.Exists(path) ? path : throw new UsageException($"The {what} file '{path}' does not exist.");
}
