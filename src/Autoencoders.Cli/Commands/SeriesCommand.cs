using System.CommandLine;

namespace Autoencoders.Cli.Commands;

/// <summary><c>autoencoders series</c>: time-series detectors, fitted on a CSV and scoring a CSV or a live feed.</summary>
internal static class SeriesCommand
{
    public static Command Create(TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        new("series", """
            Anomaly detection in time series: one or more sensors, one row per time step, an optional timestamp column.
            An autoencoder learns sliding windows of normal behaviour; each step is scored by how badly the window that
            ends at it is reconstructed, and the sensor that is off is named.

            Examples:
              autoencoders series fit normal.csv -o machine.aemodel --window 64
              autoencoders series score machine.aemodel today.csv
              tail -f feed.csv | autoencoders series score machine.aemodel -
            """)
        {
            SeriesFitCommand.Create(stdout, stderr),
            SeriesScoreCommand.Create(stdin, stdout, stderr),
        };
}
