using System.Diagnostics;
using System.Globalization;
using Autoencoders.Training;

namespace Autoencoders.Cli;

/// <summary>Reports training progress as one line per epoch on the error stream (standard output stays for results).</summary>
internal sealed class ProgressLog(TextWriter log, bool quiet) : IProgress<EpochReport>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <inheritdoc />
    public void Report(EpochReport value)
    {
        if (quiet)
        {
            return;
        }

        const int Width = 20;
        var done = (int)Math.Round((double)Width * value.Epoch / value.Epochs);
        var validation = value.ValidationLoss is { } v ? string.Create(CultureInfo.InvariantCulture, $"  validation {v:g5}") : string.Empty;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', done)}{new string('.', Width - done)}] epoch {value.Epoch}/{value.Epochs}  loss {value.TrainLoss:g5}{validation}  {_clock.Elapsed.TotalSeconds:f1} s{(value.IsBest ? "  best" : string.Empty)}"));
        foreach (var warning in value.Warnings)
        {
            log.WriteLine($"  warning: {warning}");
        }
    }
}
