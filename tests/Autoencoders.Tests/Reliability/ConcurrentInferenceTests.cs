using Autoencoders.Applications;
using Autoencoders.Model;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Reliability;

/// <summary>
/// The thread-safety contract of inference: on one trained model (in evaluation mode, as the trainer
/// leaves it), any number of threads may call the array methods at once and get bit-for-bit the results
/// of sequential calls.
/// </summary>
public sealed class ConcurrentInferenceTests
{
    public const int Threads = 8;
    private const int Rounds = 25;

    [Fact]
    public void Eight_threads_encoding_reconstructing_and_scoring_one_model_get_the_sequential_results()
    {
        var rows = Synthetic.LowRank(400, 12, 3, seed: 1, offset: 2, scale: 3);
        using var detector = AnomalyDetector.Fit(rows, AnomalyDetectorOptions.Default with
        {
            Threshold = Threshold.FalsePositiveRate(0.05),
            Spec = AutoencoderSpec.Dense(12, 3, [16]),
            Training = new TrainerOptions { Epochs = 3, BatchSize = 64, Threads = 1 },
        });
        var model = detector.Model;
        var batches = Enumerable.Range(0, Threads).Select(i => Synthetic.LowRank(50 + (7 * i), 12, 3, seed: 100 + i, offset: 2, scale: 3)).ToArray();
        var expected = batches.Select(b => (Codes: model.Encode(b), Reconstruction: model.Reconstruct(b), Scores: detector.Score(b))).ToArray();

        using var start = new Barrier(Threads);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var round = 0; round < Rounds; round++)
            {
                // Each thread walks the batches in its own order, so different inputs run side by side.
                var i = (t + round) % Threads;
                try
                {
                    if (!Same(model.Encode(batches[i]), expected[i].Codes) ||
                        !Same(model.Reconstruct(batches[i]), expected[i].Reconstruction) ||
                        !detector.Score(batches[i]).SequenceEqual(expected[i].Scores))
                    {
                        failures.Enqueue($"thread {t}, round {round}, batch {i}: results differ from the sequential ones");
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue($"thread {t}, round {round}: {e}");
                }
            }
        })).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        foreach (var worker in workers)
        {
            worker.Join(TimeSpan.FromSeconds(120)).Should().BeTrue("inference must not deadlock");
        }

        failures.Should().BeEmpty();
    }

    private static bool Same(float[,] actual, float[,] expected) =>
        actual.GetLength(0) == expected.GetLength(0) && actual.GetLength(1) == expected.GetLength(1) &&
        actual.Cast<float>().Select(BitConverter.SingleToInt32Bits).SequenceEqual(expected.Cast<float>().Select(BitConverter.SingleToInt32Bits));
}
