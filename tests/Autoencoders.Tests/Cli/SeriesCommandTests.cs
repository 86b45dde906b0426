using System.Globalization;
using System.Text;
using Autoencoders.Cli;
using Autoencoders.Tests.Applications.TimeSeries;
using Autoencoders.Tests.Support;

namespace Autoencoders.Tests.Cli;

/// <summary><c>autoencoders series fit</c> and <c>series score</c> on small sensor logs, from files and from standard input.</summary>
public sealed class SeriesCommandTests : IDisposable
{
    private const string Fast = "--epochs=15";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Fit_then_score_a_file_flags_the_spike_and_names_its_sensor()
    {
        var detector = Fit("normal.csv", SensorSeries.Normal(480, seed: 1));
        var incoming = Csv("incoming.csv", SensorSeries.WithSpike(SensorSeries.Normal(60, seed: 2, first: 480), step: 40, channel: 2, amplitudes: 2), first: 480);

        var score = CliRun.Of("series", "score", detector, incoming);

        score.ExitCode.Should().Be(ExitCodes.Ok, score.Error);
        score.OutputLines[0].Should().Be("step,timestamp,score,p_value,anomaly,top_channels");
        score.OutputLines.Should().HaveCount(61);
        score.OutputLines[1].Should().Be("0,2024-03-21 00:00:00,,,false,", "the first steps have no causal score");
        var spike = score.OutputLines[41].Split(',');
        spike[0].Should().Be("40");
        spike[4].Should().Be("true");
        spike[5].Should().StartWith("flow ");
        score.Error.Should().MatchRegex("[1-9][0-9]* of 60 steps flagged");

        var mean = CliRun.Of("series", "score", detector, incoming, "--scoring", "mean", "-o", _folder.File("mean.csv"));
        mean.ExitCode.Should().Be(ExitCodes.Ok, mean.Error);
        File.ReadAllLines(_folder.File("mean.csv")).Skip(1).Should().OnlyContain(l => l.Split(',')[2].Length > 0, "every step is covered by some window");
    }

    [Fact]
    public void Standard_input_is_scored_line_by_line_with_the_file_s_causal_scores()
    {
        var detector = Fit("normal.csv", SensorSeries.Normal(480, seed: 1), "--postprocess");
        var incoming = Csv("incoming.csv", SensorSeries.Normal(40, seed: 2, first: 480), first: 480);
        var fromFile = CliRun.Of("series", "score", detector, incoming);

        var feed = new LineFeed(File.ReadAllLines(incoming));
        using var output = new StringWriter();
        using var error = new StringWriter();
        feed.Output = output;
        var code = CliApp.Run(["series", "score", detector, "-"], feed, output, error);

        code.Should().Be(ExitCodes.Ok, error.ToString());
        output.ToString().Should().Be(fromFile.Output);
        fromFile.OutputLines[0].Should().Be("step,timestamp,score,p_value,likelihood,anomaly,top_channels");
        feed.LinesWrittenBeforeEachRead.Skip(2).Should().Equal(Enumerable.Range(2, 40), "each row's result is out before the next row is read");
    }

    [Fact]
    public void Gaps_and_missing_values_are_reported_or_filled()
    {
        var values = SensorSeries.Normal(300, seed: 1);
        values[100, 1] = float.NaN;
        var path = Csv("holed.csv", values, gapAfter: 150);

        var refused = CliRun.Of("series", "fit", path, "-o", _folder.File("d.aemodel"), "-w", "12", "-t", "fpr:0.05", Fast, "-q");
        refused.ExitCode.Should().Be(ExitCodes.BadInput);
        refused.Error.Should().Contain("Step 100, channel 'pressure' is missing (NaN)");

        var filled = CliRun.Of("series", "fit", path, "-o", _folder.File("d.aemodel"), "-w", "12", "-t", "fpr:0.05", Fast, "-q", "--fill-missing");
        filled.ExitCode.Should().Be(ExitCodes.Ok, filled.Error);
        filled.Error.Should().Contain("warning: 1 missing value forward-filled from the step before: step 100 channel 'pressure'")
            .And.Contain("warning: 1 gap longer than 1.5 × the usual step of 01:00:00 (before step 151");
    }

    [Fact]
    public void Bad_input_exits_1_with_a_message_that_says_what_is_wrong()
    {
        var detector = Fit("normal.csv", SensorSeries.Normal(300, seed: 1));

        var tooShort = CliRun.Of("series", "fit", Csv("short.csv", SensorSeries.Normal(20, seed: 1)), "-o", _folder.File("x.aemodel"), "-w", "32");
        tooShort.ExitCode.Should().Be(ExitCodes.BadInput);
        tooShort.Error.Should().Contain("The training span has 20 time steps");

        var renamed = _folder.File("renamed.csv");
        File.WriteAllText(renamed, File.ReadAllText(Csv("r.csv", SensorSeries.Normal(30, seed: 2))).Replace("flow", "rate", StringComparison.Ordinal));
        var missingColumn = CliRun.Of("series", "score", detector, renamed);
        missingColumn.ExitCode.Should().Be(ExitCodes.BadInput);
        missingColumn.Error.Should().Contain("no value column 'flow'");

        var broken = _folder.File("broken.csv");
        File.WriteAllText(broken, "timestamp,temperature,pressure,flow\n2024-03-01 00:00:00,20,1000,3\n2024-03-01 01:00:00,20,lots,3\n");
        var notANumber = CliRun.Of("series", "score", detector, broken);
        notANumber.ExitCode.Should().Be(ExitCodes.BadInput);
        notANumber.Error.Should().Contain("line 3, column 'pressure': 'lots' is not a finite number");

        CliRun.Of("series", "score", detector, "-", "--scoring", "max").Error.Should().Contain("only causally");
        CliRun.Of("series", "score", detector, broken, "--scoring", "sideways").ExitCode.Should().Be(ExitCodes.BadInput);
        CliRun.Of("series", "fit", renamed, "-o", _folder.File("y.aemodel"), "--time-features", "hourly").Error.Should().Contain("Unknown time features");

        var rows = _folder.File("rows.aemodel");
        var plain = _folder.File("plain.csv");
        File.WriteAllText(plain, "a,b\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i % 7},{i % 5}\n")));
        CliRun.Of("detect", plain, "-o", rows, "--epochs=1", "-q", "--threshold", "max").ExitCode.Should().Be(ExitCodes.Ok);
        var wrongKind = CliRun.Of("series", "score", rows, broken);
        wrongKind.ExitCode.Should().Be(ExitCodes.BadInput);
        wrongKind.Error.Should().Contain("written by 'anomaly-detector', not by a time-series detector");
    }

    private string Fit(string name, float[,] values, params string[] extra)
    {
        var path = _folder.File(Path.ChangeExtension(name, ".aemodel"));
        var fit = CliRun.Of(["series", "fit", Csv(name, values), "-o", path, "-w", "12", "-t", "fpr:0.05", Fast, "-q", .. extra]);
        fit.ExitCode.Should().Be(ExitCodes.Ok, fit.Error);
        fit.Output.Should().Contain("3 channel(s) (temperature, pressure, flow), windows of 12 steps");
        return path;
    }

    /// <summary>Writes hourly rows from <see cref="SensorSeries.Start"/> plus <paramref name="first"/> hours (a 5-hour gap after
    /// row <paramref name="gapAfter"/>, if given), with the sensors' names as the header.</summary>
    private string Csv(string name, float[,] values, int first = 0, int? gapAfter = null)
    {
        var text = new StringBuilder("timestamp,temperature,pressure,flow\n");
        for (var t = 0; t < values.GetLength(0); t++)
        {
            var time = SensorSeries.Start.AddHours(first + t + (t > gapAfter ? 5 : 0));
            text.Append(time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            for (var c = 0; c < values.GetLength(1); c++)
            {
                text.Append(',').Append(float.IsNaN(values[t, c]) ? string.Empty : values[t, c].ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        var path = _folder.File(name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>Standard input that hands out one line at a time and notes how many output lines were complete when each line
    /// was asked for.</summary>
    private sealed class LineFeed(string[] lines) : TextReader
    {
        private int _next;

        public StringWriter? Output { get; set; }

        public List<int> LinesWrittenBeforeEachRead { get; } = [];

        public override string? ReadLine()
        {
            LinesWrittenBeforeEachRead.Add(Output!.ToString().Count(c => c == '\n'));
            return _next < lines.Length ? lines[_next++] : null;
        }
    }
}
