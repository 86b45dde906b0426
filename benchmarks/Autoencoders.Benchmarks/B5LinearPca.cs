using System.Diagnostics;
using System.Globalization;
using System.Text;
using Autoencoders.Data;
using Autoencoders.Linear;
using Autoencoders.Model;
using Autoencoders.Training;

namespace Autoencoders.Benchmarks;

/// <summary>
/// B5: the linear autoencoder learns the PCA subspace. On centred Fashion-MNIST at k = 2 and k = 10: the
/// largest principal angle between the decoder's columns and the top-k components, the reconstruction error
/// relative to PCA, the training time and epochs; and with an L2 penalty on both weight matrices inside the
/// loss at k = 8, the |cos| between the decoder's left singular vectors and the principal directions, and
/// the relative distance between the encoder and the decoder's transpose.
/// </summary>
public static class B5LinearPca
{
    private const int Seed = 42;
    private const int BatchSize = 256;
    private const double LearningRate = 1e-2;
    private const double MinimumRate = 1e-5;
    private const double PenaltyFractionOfEighthEigenvalue = 0.2;

    /// <summary>Runs B5 and writes its reports.</summary>
    /// <param name="quick">A short run on the first 10,000 training images that checks everything works.</param>
    /// <param name="outPath">Where to write the JSON summary; null for none.</param>
    /// <param name="dataFolder">The Fashion-MNIST folder; null for Debian's, else the repository's subset.</param>
    /// <returns>0 when the run completed and the autoencoder is within 5° of the PCA subspace at k = 2 and 10.</returns>
    public static int Run(bool quick, string? outPath, string? dataFolder = null)
    {
        var root = LinearBenchSupport.RepoRoot();
        var header = LinearBenchSupport.Header("B5", root, quick, LinearBenchSupport.LoadAverage());
        var folder = LinearBenchSupport.DataFolder(dataFolder, root);
        Console.WriteLine($"B5 linear autoencoder vs PCA ({(quick ? "quick" : "full")}), data {folder}");
        using var fashion = FashionMnist.Load(folder, maxTrain: quick ? 10_000 : null, maxTest: quick ? 2_000 : null);
        var train = fashion.Train.ToArray();
        var test = fashion.Test.ToArray();
        var (n, d) = (train.GetLength(0), train.GetLength(1));
        var steps = quick ? 3_000 : 4_700;
        var batches = (n + BatchSize - 1) / BatchSize;
        var epochs = Math.Max(1, (steps + batches - 1) / batches);

        var watch = Stopwatch.StartNew();
        var pca = Pca.Fit(train);
        var pcaSeconds = watch.Elapsed.TotalSeconds;
        var variance = pca.ExplainedVariance;
        Console.WriteLine($"  PCA (all {pca.ComponentCount} components) {pcaSeconds:f2} s; λ2/λ3 = {variance[1] / variance[2]:f3}, λ10/λ11 = {variance[9] / variance[10]:f3}, λ32/λ33 = {variance[31] / variance[32]:f3}");

        var centredTrain = LinearBenchSupport.Centre(train, pca.Mean);
        var centredTest = LinearBenchSupport.Centre(test, pca.Mean);
        using var trainSet = InMemoryDataset.FromArray(centredTrain);
        using var testSet = InMemoryDataset.FromArray(centredTest);
        var options = new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = BatchSize,
            LearningRate = LearningRate,
            Schedule = LearningRateSchedule.Cosine(minimum: MinimumRate),
            Seed = Seed,
            Threads = 1,
        };

        var subspace = new List<Dictionary<string, object?>>();
        var passed = true;
        foreach (var k in new[] { 2, 10 })
        {
            var top = pca.Truncate(k);
            using var model = AutoencoderSpec.Linear(d, k).Build(Seed);
            var history = new Trainer(options).Fit(model, trainSet);
            var angles = PrincipalAngles.Between(LinearBenchSupport.DecoderWeights(model), top.Components.Transpose()).Select(Degrees).ToArray();
            var row = new Dictionary<string, object?>
            {
                ["k"] = k,
                ["eigenvalue_gap"] = variance[k - 1] / variance[k],
                ["largest_angle_degrees"] = angles[^1],
                ["angles_degrees"] = angles,
                ["train_mse"] = model.MeanSquaredError(trainSet),
                ["pca_train_mse"] = top.MeanSquaredError(train),
                ["test_mse"] = model.MeanSquaredError(testSet),
                ["pca_test_mse"] = top.MeanSquaredError(test),
                ["epochs"] = history.Epochs.Count,
                ["training_seconds"] = history.Duration.TotalSeconds,
            };
            row["train_mse_ratio"] = (double)row["train_mse"]! / (double)row["pca_train_mse"]!;
            row["test_mse_ratio"] = (double)row["test_mse"]! / (double)row["pca_test_mse"]!;
            subspace.Add(row);
            passed &= angles[^1] < 5;
            Console.WriteLine($"  k = {k,2}: largest angle {angles[^1]:f3}°, train MSE / PCA {row["train_mse_ratio"]:f5}, test MSE / PCA {row["test_mse_ratio"]:f5}, {history.Duration.TotalSeconds:f1} s, {history.Epochs.Count} epochs");
        }

        // L2 penalty inside the loss, k = 8. Our loss is (1/n)‖X − X̂‖² + λ(‖W1‖² + ‖W2‖²), which is Kunin et al.'s
        // with λ_K = nλ; at the optimum W1 = W2ᵀ and W2's singular values satisfy sᵢ² = 1 − λ/ℓᵢ, ℓᵢ the covariance
        // eigenvalues with the 1/n denominator.
        const int penaltyK = 8;
        var ell = Enumerable.Range(0, penaltyK + 1).Select(i => variance[i] * (n - 1) / n).ToArray();
        var lambda = PenaltyFractionOfEighthEigenvalue * ell[penaltyK - 1];
        var top8 = pca.Truncate(penaltyK);
        var spec = AutoencoderSpec.Linear(d, penaltyK) with { Penalties = [new WeightL2PenaltySpec { Weight = lambda }] };
        using var penalised = spec.Build(Seed);
        // Breaking the rotation symmetry inside the subspace is slower than finding the subspace: twice the epochs.
        var penalisedHistory = new Trainer(options with { Epochs = 2 * epochs }).Fit(penalised, trainSet);
        var encoder = LinearBenchSupport.EncoderWeights(penalised);
        var decoder = LinearBenchSupport.DecoderWeights(penalised);
        var svd = decoder.Svd(computeVectors: true);
        var directions = new List<Dictionary<string, object?>>();
        for (var i = 0; i < penaltyK; i++)
        {
            var gap = Math.Min(i == 0 ? double.PositiveInfinity : ell[i - 1] / ell[i], ell[i] / ell[i + 1]);
            directions.Add(new Dictionary<string, object?>
            {
                ["index"] = i + 1,
                ["eigenvalue"] = variance[i],
                ["nearest_eigenvalue_ratio"] = gap,
                ["abs_cos"] = Math.Abs(svd.U.Column(i).DotProduct(top8.Components.Row(i))),
                ["s_squared"] = svd.S[i] * svd.S[i],
                ["s_squared_predicted"] = 1 - (lambda / ell[i]),
            });
        }

        var symmetry = (encoder - decoder.Transpose()).FrobeniusNorm() / decoder.FrobeniusNorm();
        var l2Angle = Degrees(PrincipalAngles.Largest(decoder, top8.Components.Transpose()));
        Console.WriteLine($"  L2, k = 8, λ = {lambda:g4}: ‖W_enc − W_decᵀ‖/‖W_dec‖ = {symmetry:g3}, subspace angle {l2Angle:f3}°, |cos| {string.Join(", ", directions.Select(r => ((double)r["abs_cos"]!).ToString("f4", CultureInfo.InvariantCulture)))}, {penalisedHistory.Duration.TotalSeconds:f1} s");

        var settings = new Dictionary<string, object?>
        {
            ["data"] = folder,
            ["train_rows"] = n,
            ["test_rows"] = test.GetLength(0),
            ["centred"] = "the PCA mean of the training set is subtracted from training and test rows",
            ["optimizer"] = "Adam",
            ["batch_size"] = BatchSize,
            ["learning_rate"] = LearningRate,
            ["schedule"] = $"cosine to {MinimumRate:g3}",
            ["epochs"] = epochs,
            ["threads"] = 1,
            ["seed"] = Seed,
            ["l2_epochs"] = 2 * epochs,
            ["l2_lambda"] = lambda,
            ["l2_lambda_rule"] = $"{PenaltyFractionOfEighthEigenvalue} × ℓ8 (ℓ = covariance eigenvalue, 1/n denominator)",
        };
        var loadAfter = LinearBenchSupport.LoadAverage();
        var json = new Dictionary<string, object?>(header)
        {
            ["settings"] = settings,
            ["pca_fit_seconds"] = pcaSeconds,
            ["subspace"] = subspace,
            ["l2"] = new Dictionary<string, object?>
            {
                ["k"] = penaltyK,
                ["lambda"] = lambda,
                ["encoder_minus_decoder_transpose_relative"] = symmetry,
                ["largest_angle_degrees"] = l2Angle,
                ["training_seconds"] = penalisedHistory.Duration.TotalSeconds,
                ["directions"] = directions,
            },
            ["load_average_after"] = loadAfter,
        };

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# B5 Linear autoencoder = PCA subspace{(quick ? " (quick)" : string.Empty)}");
        md.AppendLine();
        md.AppendLine(LinearBenchSupport.MachineMarkdown(header, loadAfter));
        md.AppendLine(CultureInfo.InvariantCulture, $"Data: {n} training / {test.GetLength(0)} test Fashion-MNIST images from `{folder}`, pixels in [0, 1], centred by the training mean. ");
        md.AppendLine(CultureInfo.InvariantCulture, $"Linear autoencoder `AutoencoderSpec.Linear(784, k)` (no activations, biases, MSE), Adam, batch {BatchSize}, lr {LearningRate:g3} with a cosine schedule to {MinimumRate:g3}, {epochs} epochs, 1 thread, seed {Seed}. PCA: exact, all components, fit in {pcaSeconds:f2} s.");
        md.AppendLine();
        md.AppendLine("| k | λk/λk+1 | largest angle to PCA subspace | train MSE / PCA | test MSE / PCA | PCA test MSE | training time | epochs |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in subspace)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r["k"]} | {r["eigenvalue_gap"]:f3} | {r["largest_angle_degrees"]:f3}° | {r["train_mse_ratio"]:f5} | {r["test_mse_ratio"]:f5} | {r["pca_test_mse"]:f5} | {r["training_seconds"]:f1} s | {r["epochs"]} |");
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Not k = 32: λ32/λ33 = {variance[31] / variance[32]:f3}, so the top-32 subspace is nearly non-unique and an angle there measures the flatness of the loss, not the autoencoder.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"## L2 penalty inside the loss, k = {penaltyK}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`WeightL2PenaltySpec {{ Weight = {lambda:g4} }}` (λ = {PenaltyFractionOfEighthEigenvalue}·ℓ8), same optimiser, {2 * epochs} epochs; {penalisedHistory.Duration.TotalSeconds:f1} s. ‖W_enc − W_decᵀ‖_F / ‖W_dec‖_F = {symmetry:g3}; largest angle to the top-8 PCA subspace {l2Angle:f3}°. ");
        md.AppendLine("Predicted sᵢ² = 1 − λ/ℓᵢ with ℓᵢ = λᵢ·(n − 1)/n (our loss is Kunin et al.'s divided by n, so their λ is nλ and their σᵢ² is nℓᵢ).");
        md.AppendLine();
        md.AppendLine("| i | λi | nearest eigenvalue ratio | \\|cos\\| (decoder left singular vector i, PC i) | sᵢ² | predicted sᵢ² |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in directions)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r["index"]} | {r["eigenvalue"]:f4} | {r["nearest_eigenvalue_ratio"]:f3} | {r["abs_cos"]:f4} | {r["s_squared"]:f4} | {r["s_squared_predicted"]:f4} |");
        }

        LinearBenchSupport.Write("B5", quick, outPath, json, md.ToString(), root);
        return passed ? 0 : 1;
    }

    private static double Degrees(double radians) => radians * 180 / Math.PI;
}
