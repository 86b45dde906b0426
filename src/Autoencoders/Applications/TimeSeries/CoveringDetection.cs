using Autoencoders.Data;

namespace Autoencoders.Applications;

/// <summary>Scores every step of a series from all the windows that contain it (<see cref="StepScoring.MeanOfCovering"/>,
/// <see cref="StepScoring.MaxOfCovering"/>): every window of the series is evaluated once and each of its steps takes its
/// part; then the steps pass, in order, through the same ranking and post-processing as a stream's.</summary>
internal static class CoveringDetection
{
    public static SeriesDetection Run(TimeSeriesAnomalyDetector detector, float[,] series, IReadOnlyList<DateTime>? timestamps, StepScoring scoring, List<string> warnings)
    {
        var layout = detector.Layout;
        var (clean, filled) = SeriesChecks.Repair(series, detector.Options.MissingValues, nameof(series), layout.Names);
        if (filled.Count > 0)
        {
            warnings.Add(SeriesChecks.DescribeFilled(filled, layout.Names));
        }

        var steps = clean.GetLength(0);
        var length = layout.WindowLength;
        var inputs = layout.Inputs(clean, timestamps);
        var channelErrors = new float[steps][];
        var scores = new double[steps];
        var counts = new int[steps];
        Array.Fill(scores, scoring == StepScoring.MaxOfCovering ? double.NegativeInfinity : 0);
        var scorer = new WindowScorer(detector.Models, layout.InputChannels, length);
        var windows = Math.Max(0, steps - length + 1);
        for (var start = 0; start < windows; start++)
        {
            scorer.Put(start, inputs, start);
            if (WindowScorer.Row(start) != WindowScorer.BlockSize - 1 && start < windows - 1)
            {
                continue;
            }

            var errors = scorer.Evaluate();
            for (var window = start - WindowScorer.Row(start); window <= start; window++)
            {
                for (var position = 0; position < length; position++)
                {
                    var score = layout.StepScore(errors, WindowScorer.Row(window), position, out var channels);
                    Take(scoring, window + position, score, channels, scores, channelErrors, counts);
                }
            }
        }

        var filledPerStep = new int[steps];
        foreach (var (step, _) in filled)
        {
            filledPerStep[step]++;
        }

        using var stream = detector.OpenStream();
        var results = new StepScore[steps];
        for (var step = 0; step < steps; step++)
        {
            results[step] = counts[step] == 0
                ? new StepScore(step, double.NaN, double.NaN, detector.Options.Postprocessing is null ? null : 0.0, false, [], filledPerStep[step])
                : stream.Scored(step, scoring == StepScoring.MaxOfCovering ? scores[step] : scores[step] / counts[step], Average(scoring, channelErrors[step], counts[step]), filledPerStep[step]);
        }

        return new SeriesDetection(results, warnings);
    }

    private static void Take(StepScoring scoring, int step, double score, float[] channels, double[] scores, float[][] channelErrors, int[] counts)
    {
        counts[step]++;
        if (scoring == StepScoring.MaxOfCovering)
        {
            if (score > scores[step])
            {
                scores[step] = score;
                channelErrors[step] = channels;
            }

            return;
        }

        scores[step] += score;
        if (channelErrors[step] is null)
        {
            channelErrors[step] = channels;
            return;
        }

        for (var c = 0; c < channels.Length; c++)
        {
            channelErrors[step][c] += channels[c];
        }
    }

    private static float[] Average(StepScoring scoring, float[] channels, int count)
    {
        if (scoring == StepScoring.MaxOfCovering)
        {
            return channels;
        }

        for (var c = 0; c < channels.Length; c++)
        {
            channels[c] /= count;
        }

        return channels;
    }
}
