namespace Autoencoders.Data;

/// <summary>
/// Sliding windows over a series of time steps: which steps each window covers, which windows cover each
/// step, and which window ends at a step. Index arithmetic only; <see cref="SeriesWindows"/> materialises
/// the windows of a series as samples.
/// </summary>
/// <remarks>
/// <para>Over a series of <c>steps</c> time steps, window <c>i</c> covers the steps
/// <c>[Start(i), Start(i) + Length)</c>. The windows start at 0, <see cref="Stride"/>, 2·<see cref="Stride"/>, …
/// as long as they fit; when the last of these stops short of the final step, one more window is aligned to
/// end at the final step, so that the final steps are covered too. With a stride of 1 window <c>i</c> starts at step
/// <c>i</c> and ends at step <c>i + Length − 1</c>.</para>
/// <example>
/// <code>
/// var windows = new SlidingWindows(length: 4, stride: 2);
/// int n = windows.Count(steps: 9);              // 4 windows: steps 0–3, 2–5, 4–7 and 5–8 (aligned to the end)
/// Range covering = windows.Covering(6, 9);      // windows 2..4: the ones that contain step 6
/// int causal = windows.EndingAt(7, 9);          // 2: the window whose last step is 7 (−1 if none)
/// </code>
/// </example>
/// </remarks>
public sealed record SlidingWindows
{
    /// <summary>Defines windows of <paramref name="length"/> steps, <paramref name="stride"/> steps apart.</summary>
    /// <param name="length">The number of time steps in a window (at least 1).</param>
    /// <param name="stride">The number of steps between the starts of consecutive windows (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">The length or the stride is below 1.</exception>
    public SlidingWindows(int length, int stride = 1)
    {
        if (length < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A window needs at least one time step.");
        }

        if (stride < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride between windows must be at least one time step.");
        }

        Length = length;
        Stride = stride;
    }

    /// <summary>The number of time steps in a window.</summary>
    public int Length { get; }

    /// <summary>The number of steps between the starts of consecutive windows (the last window excepted, see the remarks).</summary>
    public int Stride { get; }

    /// <summary>The number of windows over a series of <paramref name="steps"/> steps: 0 when the series is shorter than a window.</summary>
    /// <param name="steps">The series' number of time steps.</param>
    public int Count(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (steps < Length)
        {
            return 0;
        }

        var regular = RegularCount(steps);
        return HasAlignedLast(steps) ? regular + 1 : regular;
    }

    /// <summary>The first step of window <paramref name="window"/>.</summary>
    /// <param name="window">The window's index, 0 ≤ window &lt; <see cref="Count"/>.</param>
    /// <param name="steps">The series' number of time steps.</param>
    /// <exception cref="ArgumentOutOfRangeException">There is no such window.</exception>
    public int Start(int window, int steps)
    {
        var count = Count(steps);
        if (window < 0 || window >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, $"A series of {steps} steps has {count} windows of {Length} steps.");
        }

        return window < RegularCount(steps) ? window * Stride : steps - Length;
    }

    /// <summary>The steps window <paramref name="window"/> covers (end exclusive).</summary>
    /// <param name="window">The window's index.</param>
    /// <param name="steps">The series' number of time steps.</param>
    public Range Steps(int window, int steps)
    {
        var start = Start(window, steps);
        return start..(start + Length);
    }

    /// <summary>The windows that contain step <paramref name="step"/>, as a range of window indices (end exclusive). When the
    /// stride is at most the length, every step of a series at least one window long is covered by at least one window; with
    /// a longer stride the steps between windows get an empty range.</summary>
    /// <param name="step">The step, 0 ≤ step &lt; <paramref name="steps"/>.</param>
    /// <param name="steps">The series' number of time steps.</param>
    /// <exception cref="ArgumentOutOfRangeException">The step is outside the series, or the series is shorter than a window.</exception>
    public Range Covering(int step, int steps)
    {
        CheckStep(step, steps);
        var regular = RegularCount(steps);

        // Regular window i covers the step when i·stride ≤ step ≤ i·stride + length − 1.
        var first = Math.Max(0, CeilingDivide(step - Length + 1, Stride));
        var last = Math.Min(regular - 1, step / Stride);
        if (HasAlignedLast(steps) && step >= steps - Length)
        {
            // The aligned last window covers the step too; the regular ones that do (if any) end at index regular − 1.
            return (first <= last ? first : regular)..(regular + 1);
        }

        // With a stride longer than the window some steps lie between windows: an empty range.
        return first <= last ? first..(last + 1) : (last + 1)..(last + 1);
    }

    /// <summary>The window whose last step is <paramref name="step"/> — the causal window of that step, made only of it and
    /// the steps before it — or −1 when no window ends there (the first <see cref="Length"/> − 1 steps; with a stride above 1,
    /// most steps).</summary>
    /// <param name="step">The step, 0 ≤ step &lt; <paramref name="steps"/>.</param>
    /// <param name="steps">The series' number of time steps.</param>
    /// <exception cref="ArgumentOutOfRangeException">The step is outside the series, or the series is shorter than a window.</exception>
    public int EndingAt(int step, int steps)
    {
        CheckStep(step, steps);
        var start = step - Length + 1;
        if (start < 0)
        {
            return -1;
        }

        if (start % Stride == 0 && start / Stride < RegularCount(steps))
        {
            return start / Stride;
        }

        return HasAlignedLast(steps) && step == steps - 1 ? RegularCount(steps) : -1;
    }

    private int RegularCount(int steps) => ((steps - Length) / Stride) + 1;

    private bool HasAlignedLast(int steps) => (steps - Length) % Stride != 0;

    private void CheckStep(int step, int steps)
    {
        if (steps < Length)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"A series of {steps} steps is shorter than a window of {Length} steps: it has no windows.");
        }

        if (step < 0 || step >= steps)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"The step must lie in the series' {steps} steps (0 to {steps - 1}).");
        }
    }

    private static int CeilingDivide(int numerator, int denominator) =>
        numerator <= 0 ? -(-numerator / denominator) : ((numerator - 1) / denominator) + 1;
}
