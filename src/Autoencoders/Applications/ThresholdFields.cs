using System.Globalization;
using Autoencoders.Persistence;

namespace Autoencoders.Applications;

/// <summary>How a detector file keeps its threshold rule (<c>threshold_kind</c>, <c>threshold_parameter</c>,
/// <c>threshold_holdout</c> beside <c>threshold</c> and the calibration scores), shared by the detectors that save one.</summary>
internal static class ThresholdFields
{
    /// <summary>Adds the rule's fields.</summary>
    public static void Write(Dictionary<string, string> fields, Threshold rule)
    {
        fields["threshold_kind"] = rule.Kind;
        fields["threshold_parameter"] = rule.Parameter.ToString("R", CultureInfo.InvariantCulture);
        fields["threshold_holdout"] = rule.HoldoutFraction.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>The rule of a file that stores one, after checking that it gives the stored threshold; null for older files.</summary>
    public static Threshold? Read(string path, IReadOnlyDictionary<string, string> fields, double threshold, double[] scores)
    {
        if (!fields.TryGetValue("threshold_kind", out var kind))
        {
            return null;
        }

        static double Number(IReadOnlyDictionary<string, string> fields, string name) =>
            double.TryParse(fields.GetValueOrDefault(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;

        Threshold rule;
        try
        {
            rule = Threshold.FromParts(kind, Number(fields, "threshold_parameter"), Number(fields, "threshold_holdout"));
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException(path, $"the detector's threshold rule (app.threshold_kind '{kind}', app.threshold_parameter, app.threshold_holdout) is invalid: {e.Message}", e);
        }

        bool reproduces;
        try
        {
            reproduces = rule.Reproduces(threshold, scores);
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException(path, $"the detector's {scores.Length} calibration scores (app.calibration) cannot calibrate its rule ({rule}): {e.Message}", e);
        }

        return reproduces
            ? rule
            : throw new ModelFileException(path, string.Create(CultureInfo.InvariantCulture,
                $"the detector's threshold (app.threshold) is {threshold:R}, but its rule ({rule}) gives {rule.Compute(scores):R} for its {scores.Length} calibration scores (app.calibration); the file was edited or is corrupt."));
    }
}
