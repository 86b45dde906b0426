using Autoencoders.Evaluation;

namespace Autoencoders.Tests.Evaluation;

/// <summary>
/// NAB's rules on small hand-made files whose scores are worked out by hand. NAB's scaled sigmoid
/// 2/(1 + e^(5y)) − 1 is −tanh(2.5·y), which is how the expected values below are written.
/// </summary>
public sealed class NabScoringRulesTests
{
    // 100 rows: the probationary period is rows 0..14 (⌊0.15·100⌋ = 15); one window, rows 40..49 (10 rows).
    private const int Rows = 100;
    private static readonly DateTime Origin = new(2020, 1, 1);
    private static readonly double EarliestCredit = Math.Tanh(2.5);

    [Fact]
    public void A_detection_at_the_start_of_a_window_earns_the_full_true_positive_weight()
    {
        var file = Labelled(Rows, (40, 49));

        var score = ScoreAtHalf(file, Detections(40));

        score.RawScore.Should().BeApproximately(1.0, 1e-12);
        score.DetectedWindows.Should().Be(1);
        score.NormalizedScore.Should().BeApproximately(100, 1e-9, "one window found at its start is the perfect detector");
    }

    [Fact]
    public void Later_detections_in_a_window_earn_less()
    {
        var file = Labelled(Rows, (40, 49));

        // y = −(last − row + 1)/width: −0.5 in the middle (row 45), −0.1 at the last row (49).
        var middle = ScoreAtHalf(file, Detections(45)).RawScore;
        var last = ScoreAtHalf(file, Detections(49)).RawScore;

        middle.Should().BeApproximately(Math.Tanh(2.5 * 0.5) / EarliestCredit, 1e-12);
        last.Should().BeApproximately(Math.Tanh(2.5 * 0.1) / EarliestCredit, 1e-12);
        last.Should().BeLessThan(middle);
    }

    [Fact]
    public void Only_the_earliest_detection_in_a_window_counts()
    {
        var file = Labelled(Rows, (40, 49));

        var once = ScoreAtHalf(file, Detections(42));
        var thrice = ScoreAtHalf(file, Detections(42, 44, 47));

        once.RawScore.Should().BeApproximately(Math.Tanh(2.5 * 0.8) / EarliestCredit, 1e-12);
        thrice.RawScore.Should().Be(once.RawScore, "further detections in the same window count for nothing");
        thrice.FalsePositives.Should().Be(0);
    }

    [Fact]
    public void A_false_positive_before_the_first_window_costs_the_full_false_positive_weight()
    {
        var file = Labelled(Rows, (40, 49));

        var standard = ScoreAtHalf(file, Detections(20, 40));
        var lowFp = ScoreAtHalf(file, Detections(20, 40), NabProfile.RewardLowFalsePositiveRate);

        standard.RawScore.Should().BeApproximately(1.0 - 0.11, 1e-12);
        lowFp.RawScore.Should().BeApproximately(1.0 - 0.22, 1e-12);
        standard.FalsePositives.Should().Be(1);
    }

    [Fact]
    public void A_false_positive_after_a_window_costs_more_the_further_it_is()
    {
        var file = Labelled(Rows, (40, 49));

        // y = (row − last)/(width − 1) = (row − 49)/9; the cost is fpWeight·tanh(2.5·y), and the full fpWeight from y = 3.
        var near = ScoreAtHalf(file, Detections(40, 50)).RawScore - 1.0;
        var further = ScoreAtHalf(file, Detections(40, 58)).RawScore - 1.0;
        var far = ScoreAtHalf(file, Detections(40, 76)).RawScore - 1.0;

        near.Should().BeApproximately(-0.11 * Math.Tanh(2.5 / 9), 1e-12);
        further.Should().BeApproximately(-0.11 * Math.Tanh(2.5), 1e-12);
        far.Should().BeApproximately(-0.11, 1e-12, "27 rows after a 10-row window is y = 3");
    }

    [Fact]
    public void A_false_positive_between_windows_is_weighted_by_the_preceding_window()
    {
        // Windows at rows 30..34 (5 rows) and 60..69; a false positive at row 36 is y = 2/4 after the first.
        var file = Labelled(Rows, (30, 34), (60, 69));

        var score = ScoreAtHalf(file, Detections(30, 36, 60));

        score.RawScore.Should().BeApproximately(1.0 + 1.0 - (0.11 * Math.Tanh(2.5 * 0.5)), 1e-12);
    }

    [Fact]
    public void After_a_one_row_window_a_false_positive_costs_the_full_weight()
    {
        // NAB's distance (row − last)/(width − 1) divides by zero here; the scorer charges the full fpWeight.
        var file = Labelled(Rows, (40, 40));

        var score = ScoreAtHalf(file, Detections(40, 41));

        score.RawScore.Should().BeApproximately(1.0 - 0.11, 1e-12);
    }

    [Fact]
    public void Detections_in_the_probationary_period_are_ignored()
    {
        var file = Labelled(Rows, (40, 49));
        file.ProbationaryLength.Should().Be(15);

        var quiet = ScoreAtHalf(file, Detections(40));
        var noisyStart = ScoreAtHalf(file, Detections(0, 3, 14, 40));
        var afterProbation = ScoreAtHalf(file, Detections(15, 40));

        noisyStart.RawScore.Should().Be(quiet.RawScore);
        noisyStart.FalsePositives.Should().Be(0);
        afterProbation.RawScore.Should().BeApproximately(quiet.RawScore - 0.11, 1e-12, "row 15 is the first scored row");
    }

    [Fact]
    public void A_window_inside_the_probationary_period_is_neither_found_nor_missed()
    {
        var file = Labelled(Rows, (5, 10), (40, 49));

        var none = ScoreAtHalf(file, Detections());
        var both = ScoreAtHalf(file, Detections(5, 40));

        none.RawScore.Should().Be(-1.0, "only the second window is scored");
        none.NullScore.Should().Be(-1.0);
        both.RawScore.Should().BeApproximately(1.0, 1e-12);
        both.PerfectScore.Should().Be(2.0, "NAB's perfect score counts every window of the label file");
    }

    [Fact]
    public void A_missed_window_costs_the_false_negative_weight()
    {
        var file = Labelled(Rows, (40, 49), (70, 79));

        var standard = ScoreAtHalf(file, Detections());
        var lowFn = ScoreAtHalf(file, Detections(), NabProfile.RewardLowFalseNegativeRate);
        var oneOfTwo = ScoreAtHalf(file, Detections(70), NabProfile.RewardLowFalseNegativeRate);

        standard.RawScore.Should().Be(-2.0);
        standard.MissedWindows.Should().Be(2);
        lowFn.RawScore.Should().Be(-4.0);
        oneOfTwo.RawScore.Should().BeApproximately(1.0 - 2.0, 1e-12);
    }

    [Fact]
    public void A_score_equal_to_the_threshold_is_a_detection()
    {
        var file = Labelled(Rows, (40, 49));
        var scores = new double[Rows];
        scores[40] = 0.5;

        ScoreAtHalf(file, scores).DetectedWindows.Should().Be(1);
        Corpus(file).Score(Scores(file, scores), NabProfile.Standard, Math.BitIncrement(0.5)).DetectedWindows.Should().Be(0);
    }

    [Fact]
    public void The_null_and_perfect_detectors_score_0_and_100_under_every_profile()
    {
        var files = new[] { Named("a.csv", Rows, (40, 49), (70, 79)), Named("b.csv", 200, (100, 119)), Named("c.csv", Rows) };
        var corpus = new NabCorpus(files);
        var nothing = files.ToDictionary(f => f.Name, f => new double[f.Count]);
        var perfect = files.ToDictionary(f => f.Name, f => DetectionsOf(f.Count, f.WindowRows.Select(r => r.Start.Value).ToArray()));

        foreach (var profile in NabProfile.All)
        {
            corpus.Score(nothing, profile, 0.5).NormalizedScore.Should().Be(0);
            corpus.Score(perfect, profile, 0.5).NormalizedScore.Should().BeApproximately(100, 1e-9);
            corpus.OptimizeThreshold(perfect, profile).NormalizedScore.Should().BeApproximately(100, 1e-9);

            var idle = corpus.OptimizeThreshold(nothing, profile);
            idle.NormalizedScore.Should().Be(0);
            idle.Threshold.Should().Be(double.PositiveInfinity, "detecting every row scores below detecting none");
        }
    }

    [Fact]
    public void The_corpus_score_is_the_sum_of_the_files_and_normalised_against_null_and_perfect()
    {
        var a = Named("a.csv", Rows, (40, 49));
        var b = Named("b.csv", Rows, (60, 69));
        var scores = new Dictionary<string, double[]> { ["a.csv"] = Detections(20, 40), ["b.csv"] = Detections() };

        var score = new NabCorpus([a, b]).Score(scores, NabProfile.Standard, 0.5);

        score.Files.Select(f => f.RawScore).Should().Equal([1.0 - 0.11, -1.0], (x, y) => Math.Abs(x - y) < 1e-12);
        score.RawScore.Should().BeApproximately(-0.11, 1e-12);
        score.NullScore.Should().Be(-2);
        score.PerfectScore.Should().Be(2);
        score.NormalizedScore.Should().BeApproximately(100 * (-0.11 + 2) / 4, 1e-9);
    }

    [Fact]
    public void The_optimised_threshold_is_the_best_of_all_distinct_scores()
    {
        var random = new Random(12);
        var files = new[] { Named("a.csv", 300, (100, 129), (200, 229)), Named("b.csv", 300, (150, 189)), Named("c.csv", 300) };
        var corpus = new NabCorpus(files);

        for (var trial = 0; trial < 5; trial++)
        {
            // Coarse scores (many ties) that are higher inside the windows than outside.
            var scores = files.ToDictionary(f => f.Name, f =>
            {
                var labels = f.Labels();
                return labels.Select(inWindow => Math.Round((random.NextDouble() * 0.8) + (inWindow ? 0.25 : 0), 1)).ToArray();
            });

            foreach (var profile in NabProfile.All)
            {
                var candidates = scores.Values.SelectMany(s => s).Distinct().Append(double.PositiveInfinity);
                var bruteForce = candidates.Select(t => corpus.Score(scores, profile, t))
                                           .OrderByDescending(s => s.RawScore).ThenByDescending(s => s.Threshold).First();

                var optimised = corpus.OptimizeThreshold(scores, profile);

                optimised.RawScore.Should().BeApproximately(bruteForce.RawScore, 1e-9);
                optimised.Threshold.Should().Be(bruteForce.Threshold, "the highest of equally good thresholds");
            }
        }
    }

    [Fact]
    public void Probationary_length_is_15_percent_capped_at_750_rows()
    {
        NabScoring.ProbationaryLength(0).Should().Be(0);
        NabScoring.ProbationaryLength(99).Should().Be(14);
        NabScoring.ProbationaryLength(4032).Should().Be(604);
        NabScoring.ProbationaryLength(5000).Should().Be(750);
        NabScoring.ProbationaryLength(22695).Should().Be(750);
    }

    [Fact]
    public void Windows_are_inclusive_timestamp_ranges_and_need_not_fall_on_a_row()
    {
        var timestamps = Enumerable.Range(0, Rows).Select(i => Origin.AddMinutes(5 * i)).ToArray();
        var series = new NabSeries(timestamps, new double[Rows]);

        var onRows = new NabFile("f.csv", series, [new NabWindow(timestamps[40], timestamps[49])]);
        var between = new NabFile("f.csv", series, [new NabWindow(timestamps[39].AddMinutes(1), timestamps[49].AddMinutes(4))]);

        onRows.WindowRows[0].Should().Be(40..50);
        between.WindowRows[0].Should().Be(40..50);
        onRows.Labels().Count(l => l).Should().Be(10);
    }

    [Fact]
    public void Bad_windows_and_bad_scores_are_refused_with_the_reason()
    {
        var timestamps = Enumerable.Range(0, Rows).Select(i => Origin.AddMinutes(5 * i)).ToArray();
        var series = new NabSeries(timestamps, new double[Rows]);

        ((Action)(() => _ = new NabFile("f.csv", series, [new(timestamps[10], timestamps[20]), new(timestamps[20], timestamps[30])])))
            .Should().Throw<ArgumentException>().WithMessage("*overlap*");
        ((Action)(() => _ = new NabFile("f.csv", series, [new(Origin.AddYears(1), Origin.AddYears(2))])))
            .Should().Throw<ArgumentException>().WithMessage("*covers no row*");
        ((Action)(() => _ = new NabWindow(Origin, Origin.AddSeconds(-1)))).Should().Throw<ArgumentException>();

        var file = Labelled(Rows, (40, 49));
        var corpus = Corpus(file);
        var nan = new double[Rows];
        nan[7] = double.NaN;
        ((Action)(() => corpus.Score(Scores(file, nan), NabProfile.Standard, 0.5))).Should().Throw<ArgumentException>().WithMessage("*row 7*not a finite number*");
        ((Action)(() => corpus.Score(Scores(file, new double[Rows - 1]), NabProfile.Standard, 0.5))).Should().Throw<ArgumentException>().WithMessage("*100 rows but 99 scores*");
        ((Action)(() => corpus.Score(new Dictionary<string, double[]>(), NabProfile.Standard, 0.5))).Should().Throw<ArgumentException>().WithMessage("*no scores for 'f.csv'*");
        ((Action)(() => corpus.OptimizeThreshold(new Dictionary<string, double[]> { ["f.csv"] = new double[Rows], ["g.csv"] = new double[Rows] }, NabProfile.Standard)))
            .Should().Throw<ArgumentException>().WithMessage("*'g.csv', which is not a file of the corpus*");
    }

    private static NabFile Labelled(int rows, params (int First, int Last)[] windows) => Named("f.csv", rows, windows);

    private static NabFile Named(string name, int rows, params (int First, int Last)[] windows)
    {
        var timestamps = Enumerable.Range(0, rows).Select(i => Origin.AddMinutes(5 * i)).ToArray();
        return new NabFile(name, new NabSeries(timestamps, new double[rows]), windows.Select(w => new NabWindow(timestamps[w.First], timestamps[w.Last])));
    }

    private static double[] Detections(params int[] rows) => DetectionsOf(Rows, rows);

    private static double[] DetectionsOf(int count, int[] rows)
    {
        var scores = new double[count];
        foreach (var row in rows)
        {
            scores[row] = 1;
        }

        return scores;
    }

    private static NabCorpus Corpus(NabFile file) => new([file]);

    private static Dictionary<string, double[]> Scores(NabFile file, double[] scores) => new() { [file.Name] = scores };

    private static NabCorpusScore ScoreAtHalf(NabFile file, double[] scores, NabProfile? profile = null) =>
        Corpus(file).Score(Scores(file, scores), profile ?? NabProfile.Standard, 0.5);
}
