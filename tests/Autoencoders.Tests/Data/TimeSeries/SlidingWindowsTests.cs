using Autoencoders.Data;

namespace Autoencoders.Tests.Data.TimeSeries;

/// <summary>The window ↔ step mapping, checked against a brute-force reading of the definition on every small case.</summary>
public sealed class SlidingWindowsTests
{
    public static TheoryData<int, int, int> Cases()
    {
        var cases = new TheoryData<int, int, int>();
        foreach (var length in new[] { 1, 2, 3, 5 })
        {
            foreach (var stride in new[] { 1, 2, 3, 7 })
            {
                foreach (var steps in new[] { length, length + 1, length + 4, 17 })
                {
                    cases.Add(length, stride, steps);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Windows_start_a_stride_apart_and_the_last_one_ends_at_the_last_step(int length, int stride, int steps)
    {
        var windows = new SlidingWindows(length, stride);
        var count = windows.Count(steps);
        var starts = Enumerable.Range(0, count).Select(i => windows.Start(i, steps)).ToArray();

        var regular = Enumerable.Range(0, steps).Where(s => s % stride == 0 && s + length <= steps).ToList();
        if (regular[^1] + length < steps)
        {
            regular.Add(steps - length);
        }

        starts.Should().Equal(regular);
        windows.Steps(count - 1, steps).End.Value.Should().Be(steps, "the last window ends at the last step");
        Enumerable.Range(0, count).Should().OnlyContain(i => windows.Steps(i, steps).End.Value - windows.Steps(i, steps).Start.Value == length);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Covering_names_exactly_the_windows_that_contain_each_step(int length, int stride, int steps)
    {
        var windows = new SlidingWindows(length, stride);
        for (var step = 0; step < steps; step++)
        {
            var expected = Enumerable.Range(0, windows.Count(steps))
                .Where(i => windows.Start(i, steps) <= step && step < windows.Start(i, steps) + length)
                .ToArray();

            var covering = windows.Covering(step, steps);
            var actual = Enumerable.Range(covering.Start.Value, covering.End.Value - covering.Start.Value).ToArray();

            actual.Should().Equal(expected, $"step {step} of {steps} (length {length}, stride {stride})");
            if (stride <= length)
            {
                actual.Should().NotBeEmpty("every step is covered when windows do not skip steps");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EndingAt_names_the_causal_window_of_each_step(int length, int stride, int steps)
    {
        var windows = new SlidingWindows(length, stride);
        for (var step = 0; step < steps; step++)
        {
            var expected = Enumerable.Range(0, windows.Count(steps)).Where(i => windows.Start(i, steps) + length - 1 == step).DefaultIfEmpty(-1).Single();

            windows.EndingAt(step, steps).Should().Be(expected, $"step {step} of {steps} (length {length}, stride {stride})");
        }
    }

    [Fact]
    public void With_stride_one_window_i_holds_steps_i_to_i_plus_length_minus_one()
    {
        var windows = new SlidingWindows(4);

        windows.Count(10).Should().Be(7);
        windows.Steps(2, 10).Should().Be(2..6);
        windows.Covering(5, 10).Should().Be(2..6, "windows 2, 3, 4 and 5 contain step 5");
        windows.Covering(0, 10).Should().Be(0..1);
        windows.EndingAt(3, 10).Should().Be(0);
        windows.EndingAt(2, 10).Should().Be(-1, "no window of 4 steps ends at step 2");
    }

    [Fact]
    public void A_series_shorter_than_a_window_has_none_and_bad_arguments_are_refused()
    {
        var windows = new SlidingWindows(8, 2);

        windows.Count(7).Should().Be(0);
        FluentActions.Invoking(() => windows.Covering(0, 7)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*7 steps is shorter than a window of 8*");
        FluentActions.Invoking(() => windows.Start(7, 20)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*20 steps has 7 windows*");
        FluentActions.Invoking(() => windows.EndingAt(20, 20)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new SlidingWindows(0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new SlidingWindows(4, 0)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
