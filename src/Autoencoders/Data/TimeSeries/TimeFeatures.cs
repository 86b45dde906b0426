namespace Autoencoders.Data;

/// <summary>
/// Calendar inputs a time-series model can see next to the sensors, computed from each step's timestamp: each feature adds
/// two channels, the sine and cosine of its phase, so that 23:59 sits next to 00:00. They are inputs only: they are not
/// scored and not explained.
/// </summary>
/// <remarks>
/// With <see cref="TimeOfDay"/> the model learns what each sensor does at each time of day, so a daily pattern that comes at
/// the wrong hour or not at all is an anomaly, not only a shape never seen. The training span must then cover the hours of
/// the day (better: several days), and <see cref="DayOfWeek"/> needs several weeks.
/// </remarks>
[Flags]
public enum TimeFeatures
{
    /// <summary>The model sees the sensors only.</summary>
    None = 0,

    /// <summary>Phase 2π·(seconds since midnight)/86,400.</summary>
    TimeOfDay = 1,

    /// <summary>Phase 2π·(days since Monday 00:00, fractional)/7.</summary>
    DayOfWeek = 2,
}
