// Sensor monitoring: Keras' "Timeseries anomaly detection using an Autoencoder" example reproduced with the library, then
// the library's monitoring preset in the Numenta Anomaly Benchmark's streaming setting (learn from the first rows, score
// every row as it arrives) on the five NAB series without anomalies and on a machine's temperature log.
//
//   dotnet run -c Release --project samples/SensorMonitoring [-- output-folder]
//
// Data: samples/data/nab (NAB v1.1, MIT licence, Numenta). PNGs go to ./sensor-monitoring-output unless a folder is given.
using System.Diagnostics;
using Autoencoders.Applications;
using Autoencoders.Evaluation;
using Autoencoders.Samples;
using SensorMonitoring;

var output = args.Length > 0 ? args[0] : "sensor-monitoring-output";
Directory.CreateDirectory(output);
var corpus = NabCorpus.Load(RepositoryData.Find("nab"));
var clock = Stopwatch.StartNew();

// 1. Keras' pair: learn a day of art_daily_small_noise at a time (windows of 288 five-minute steps), find the jump in
//    art_daily_jumpsup. As in Keras' example the whole test series is at hand, so each step is scored by the mean of its
//    errors in every window that contains it (not only the window that ends at it, which a stream would use), and it is
//    flagged when that is above the largest training error scored the same way (Keras' threshold).
var normal = corpus["artificialNoAnomaly/art_daily_small_noise.csv"];
var jumps = corpus["artificialWithAnomaly/art_daily_jumpsup.csv"];
var kerasOptions = TimeSeriesDetectorOptions.Default with
{
    WindowLength = 288,
    Threshold = Threshold.MaxTrainingScore(),
    Training = DefaultSeriesArchitecture.Training with { Epochs = 40 },
    Seed = 1,
};
using (var detector = TimeSeriesAnomalyDetector.Fit(Values(normal), options: kerasOptions))
{
    var threshold = detector.Detect(Values(normal), scoring: StepScoring.MeanOfCovering).Steps.Max(s => s.Score);
    var steps = detector.Detect(Values(jumps), scoring: StepScoring.MeanOfCovering).Steps;
    var flagged = steps.Where(s => s.Score > threshold).Select(s => s.Step).ToArray();
    var window = jumps.WindowRows[0];
    var inside = flagged.Where(i => i >= window.Start.Value && i < window.End.Value).ToArray();
    var outside = flagged.Except(inside).ToArray();
    Console.WriteLine($"Keras' pair: trained on {normal.Name} ({normal.Count} rows, {detector.History!.Epochs.Count} epochs), threshold {threshold:g4} (the largest training error).");
    Console.WriteLine(inside.Length == 0
        ? $"  {jumps.Name}: the labelled window ({jumps.Windows[0]}) has no flagged step."
        : $"  {jumps.Name}: {inside.Length} steps flagged inside the labelled window ({jumps.Windows[0]}), from {Time(jumps, inside[0])} to {Time(jumps, inside[^1])}.");
    Console.WriteLine($"  {outside.Length} flagged outside it{(outside.Length == 0 ? "." : $": {string.Join(", ", outside.Select(i => Time(jumps, i)))}.")}");
    SeriesPlot.Save(Path.Combine(output, "sensor-monitoring-jumpsup.png"), "art_daily_jumpsup, scored by a detector trained on art_daily_small_noise (windows of one day)",
        jumps, steps.Select(s => s.Score).ToArray(), "reconstruction error", threshold, "threshold: the largest training error", flagged, learnedRows: 0);
}

// 2. NAB's setting with the monitoring preset: each file's detector learns from its first rows (the probationary period)
//    only; alarms after it on a file without anomalies are false alarms.
Console.WriteLine();
Console.WriteLine("The monitoring preset on NAB's series without anomalies (learn from the probationary rows, then stream):");
foreach (var file in corpus.Files.Where(f => f.Name.StartsWith("artificialNoAnomaly/", StringComparison.Ordinal)))
{
    var (steps, _) = Monitor(file);
    var alarms = steps.Count(s => s.IsAnomaly && s.Step >= file.ProbationaryLength);
    Console.WriteLine($"  {file.Name,-52} {alarms} alarm(s) after the first {file.ProbationaryLength} rows");
}

// 3. A machine's temperature before its failures, the same way.
var machine = corpus["realKnownCause/machine_temperature_system_failure.csv"];
var (machineSteps, alarmLevel) = Monitor(machine);
var machineAlarms = machineSteps.Where(s => s.IsAnomaly && s.Step >= machine.ProbationaryLength).Select(s => s.Step).ToArray();
Console.WriteLine();
Console.WriteLine($"{machine.Name}: {machineAlarms.Length} alarms after the first {machine.ProbationaryLength} rows:");
foreach (var alarm in machineAlarms)
{
    var hit = machine.WindowRows.Select((w, i) => (w, i)).FirstOrDefault(x => alarm >= x.w.Start.Value && alarm < x.w.End.Value);
    Console.WriteLine($"  {Time(machine, alarm)}  {(hit.w.Equals(default(Range)) ? "outside the labelled windows" : $"in labelled window {hit.i + 1} ({machine.Windows[hit.i]})")}");
}

SeriesPlot.Save(Path.Combine(output, "sensor-monitoring-machine-temperature.png"), "machine_temperature_system_failure: the monitoring preset, learning from the first 750 rows, streaming the rest",
    machine, machineSteps.Select(s => s.Likelihood ?? double.NaN).ToArray(), "likelihood score", alarmLevel, "alarm level", machineAlarms, machine.ProbationaryLength);

Console.WriteLine();
Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:f0} s; pictures in {Path.GetFullPath(output)}");

static float[] Values(NabFile file) => file.Series.Values.Select(v => (float)v).ToArray();

static string Time(NabFile file, int row) => file.Series.Timestamps[row].ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

// Learn from the file's probationary rows with the monitoring preset; score every row as a stream would.
static (IReadOnlyList<StepScore> Steps, double AlarmLevel) Monitor(NabFile file)
{
    var values = Values(file);
    var learn = file.ProbationaryLength;
    var options = TimeSeriesDetectorOptions.Monitoring with { Seed = 1 };
    using var detector = TimeSeriesAnomalyDetector.Fit(values[..learn], file.Series.Timestamps.Take(learn).ToArray(), options);
    return (detector.Detect(values, file.Series.Timestamps).Steps, options.Postprocessing!.AlarmLevel);
}
