using Autoencoders.Evaluation;
using ScottPlot;

namespace SensorMonitoring;

/// <summary>Draws a series above its scores: the labelled anomaly windows shaded red, the threshold dashed, the flagged steps marked.</summary>
internal static class SeriesPlot
{
    /// <summary>Writes the PNG.</summary>
    /// <param name="path">Where to write it.</param>
    /// <param name="title">The figure's title.</param>
    /// <param name="file">The NAB file (timestamps, values, windows).</param>
    /// <param name="scores">One score per row (NaN where there is none).</param>
    /// <param name="scoreName">What the scores are, for the axis.</param>
    /// <param name="threshold">The line above which a score is flagged.</param>
    /// <param name="thresholdName">What the line is, for the legend.</param>
    /// <param name="flagged">The flagged rows.</param>
    /// <param name="learnedRows">The rows the detector learnt from, shaded grey (0 for none).</param>
    public static void Save(string path, string title, NabFile file, double[] scores, string scoreName, double threshold, string thresholdName, int[] flagged, int learnedRows)
    {
        var times = file.Series.Timestamps.Select(t => t.ToOADate()).ToArray();
        var values = file.Series.Values.ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();

        var top = multiplot.GetPlot(0);
        var bottom = multiplot.GetPlot(1);
        foreach (var plot in new[] { top, bottom })
        {
            plot.Axes.DateTimeTicksBottom();
            if (learnedRows > 0)
            {
                var learned = plot.Add.HorizontalSpan(times[0], times[learnedRows - 1]);
                learned.FillColor = Colors.Gray.WithAlpha(0.15);
                learned.LineColor = Colors.Transparent;
                learned.LegendText = plot == top ? "learnt from" : string.Empty;
            }

            foreach (var window in file.WindowRows)
            {
                var span = plot.Add.HorizontalSpan(times[window.Start.Value], times[window.End.Value - 1]);
                span.FillColor = Colors.Red.WithAlpha(0.15);
                span.LineColor = Colors.Transparent;
                span.LegendText = plot == top && window.Equals(file.WindowRows[0]) ? "labelled anomaly window" : string.Empty;
            }
        }

        var series = top.Add.ScatterLine(times, values);
        series.LineWidth = 1;
        series.Color = Colors.SteelBlue;
        if (flagged.Length > 0)
        {
            var marks = top.Add.ScatterPoints(flagged.Select(i => times[i]).ToArray(), flagged.Select(i => values[i]).ToArray());
            marks.Color = Colors.Crimson;
            marks.MarkerSize = 5;
            marks.LegendText = "flagged";
        }

        top.Title(title);
        top.YLabel("value");
        top.ShowLegend(Alignment.LowerLeft);

        var scoredTimes = times.Where((_, i) => double.IsFinite(scores[i])).ToArray();
        var scored = scores.Where(double.IsFinite).ToArray();
        var line = bottom.Add.ScatterLine(scoredTimes, scored);
        line.LineWidth = 1;
        line.Color = Colors.DarkOrange;
        var limit = bottom.Add.HorizontalLine(threshold);
        limit.LinePattern = LinePattern.Dashed;
        limit.Color = Colors.Black;
        limit.LegendText = thresholdName;
        bottom.YLabel(scoreName);
        bottom.ShowLegend(Alignment.UpperLeft);
        foreach (var plot in new[] { top, bottom })
        {
            plot.Axes.SetLimitsX(times[0], times[^1]);
        }

        multiplot.SavePng(path, 1400, 700);
    }
}
