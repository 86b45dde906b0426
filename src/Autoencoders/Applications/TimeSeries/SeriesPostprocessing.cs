namespace Autoencoders.Applications;

/// <summary>
/// Turns a detector's stream of step scores into alarms that come once per anomaly and early: an anomaly likelihood (how
/// unusual the recent scores are against their own long-run history) and the suppression of repeated alarms. Causal, with
/// bounded memory. What the Numenta Anomaly Benchmark rewards; off unless set in <see cref="TimeSeriesDetectorOptions.Postprocessing"/>.
/// </summary>
/// <remarks>
/// <para>With s_t the step scores (reconstruction errors), for each scored step t:</para>
/// <list type="number">
/// <item><description>the short-term mean m_t = (s_{t−W+1} + … + s_t)/W over the last W = <see cref="ShortWindow"/> scores
/// (fewer at the start of a stream);</description></item>
/// <item><description>the long-run mean μ_t and standard deviation σ_t of the previous short-term means, at most
/// H = <see cref="HistoryLength"/> of them (m_{t−H}, …, m_{t−1}); the history starts with the short-term means of the
/// detector's clean calibration scores, so scoring starts at once; σ_t is at least 10⁻⁶;</description></item>
/// <item><description>the tail probability of m_t under a normal law with that mean and deviation,
/// Q(z_t) = ½·erfc(z_t/√2) with z_t = (m_t − μ_t)/σ_t;</description></item>
/// <item><description>the likelihood score λ_t = min(1, −log₁₀ Q(z_t) / 10) for z_t &gt; 0, else 0: in [0, 1], 0.5 for a
/// tail probability of 10⁻⁵, 1 for 10⁻¹⁰ or less (only scores above their usual level count: a drop of the reconstruction
/// error is not an anomaly);</description></item>
/// <item><description>an alarm when λ_t ≥ <see cref="AlarmLevel"/>; for the <see cref="SuppressionSteps"/> steps after an
/// alarm no alarm is raised and λ is reported as 0, so that one anomaly raises one alarm.</description></item>
/// </list>
/// <para>This follows Numenta's anomaly likelihood (Ahmad et al., "Unsupervised real-time anomaly detection for streaming
/// data", Neurocomputing 2017), with a one-sided tail, the log scale of its NAB detector and the history seeded from clean
/// calibration scores.</para>
/// <example>
/// <code>
/// var options = TimeSeriesDetectorOptions.Default with { Postprocessing = SeriesPostprocessing.Default };
/// </code>
/// </example>
/// </remarks>
public sealed record SeriesPostprocessing
{
    /// <summary>The defaults, chosen on the Numenta Anomaly Benchmark (see the README's B8).</summary>
    public static SeriesPostprocessing Default { get; } = new();

    /// <summary>W: how many recent step scores are averaged (at least 1).</summary>
    public int ShortWindow { get; init; } = 40;

    /// <summary>H: how many past short-term means make the long-run history (at least 2; the memory it takes). The default,
    /// 8,640, is a month of 5-minute steps, as in Numenta's detector.</summary>
    public int HistoryLength { get; init; } = 8640;

    /// <summary>The likelihood score at which an alarm is raised, in (0, 1].</summary>
    public double AlarmLevel { get; init; } = 0.5;

    /// <summary>How many steps after an alarm raise none (0: every step at or above the alarm level is an alarm).</summary>
    public int SuppressionSteps { get; init; } = 100;

    internal void Validate()
    {
        if (ShortWindow < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ShortWindow), ShortWindow, "The short window needs at least one step.");
        }

        if (HistoryLength < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(HistoryLength), HistoryLength, "The history needs at least two values to have a deviation.");
        }

        if (!(AlarmLevel > 0 && AlarmLevel <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(AlarmLevel), AlarmLevel, "The alarm level is a likelihood score in (0, 1].");
        }

        if (SuppressionSteps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SuppressionSteps), SuppressionSteps, "The suppression is a number of steps, 0 or more.");
        }
    }
}
