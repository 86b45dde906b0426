using System.Diagnostics;
using Autoencoders.Data;
using Autoencoders.Linear;
using Autoencoders.Model;
using Autoencoders.Training;
using MathNet.Numerics.LinearAlgebra;
using TorchSharp;

/// <summary>What one linear autoencoder run measured against PCA.</summary>
internal sealed record LinearResult(
    int Latent, int Epochs, double Seconds, double LargestAngleDegrees, double TrainMse, double PcaTrainMse, double TestMse, double PcaTestMse)
{
    public double TrainRatio => TrainMse / PcaTrainMse;

    public double TestRatio => TestMse / PcaTestMse;
}

/// <summary>Trains a linear autoencoder on centred data and compares it with PCA.</summary>
internal static class LinearComparison
{
    /// <summary>Subtracts the given column means from every row.</summary>
    public static float[,] Centre(float[,] rows, Vector<double> mean)
    {
        var result = (float[,])rows.Clone();
        for (var i = 0; i < rows.GetLength(0); i++)
        {
            for (var j = 0; j < rows.GetLength(1); j++)
            {
                result[i, j] = (float)(rows[i, j] - mean[j]);
            }
        }

        return result;
    }

    public static TrainerOptions Options(int epochs, double rate, int seed) => new()
    {
        Epochs = epochs,
        BatchSize = 256,
        LearningRate = rate,
        Schedule = LearningRateSchedule.Cosine(minimum: 1e-5),
        Seed = seed,
        Threads = 1,
    };

    public static LinearResult Run(Pca pca, float[,] rawTrain, float[,] rawTest, float[,] centredTrain, float[,] centredTest, int latent, int epochs, double rate, int seed)
    {
        var top = pca.Truncate(latent);
        using var train = InMemoryDataset.FromArray(centredTrain);
        using var test = InMemoryDataset.FromArray(centredTest);
        using var model = AutoencoderSpec.Linear(centredTrain.GetLength(1), latent).Build(seed);
        var watch = Stopwatch.StartNew();
        new Trainer(Options(epochs, rate, seed)).Fit(model, train);
        var seconds = watch.Elapsed.TotalSeconds;
        var angle = PrincipalAngles.Largest(Weights.Decoder(model), top.Components.Transpose()) * 180 / Math.PI;
        return new LinearResult(
            latent, epochs, seconds, angle, model.MeanSquaredError(train), top.MeanSquaredError(rawTrain), model.MeanSquaredError(test), top.MeanSquaredError(rawTest));
    }
}

/// <summary>A linear autoencoder's weight matrices as MathNet matrices.</summary>
internal static class Weights
{
    /// <summary>The encoder, k×d (the bottleneck's linear layer; the dense encoder has no layers).</summary>
    public static Matrix<double> Encoder(Autoencoder model) => Read(model, "bottleneck.code.weight");

    /// <summary>The decoder, d×k: its columns span the learned subspace.</summary>
    public static Matrix<double> Decoder(Autoencoder model) => Read(model, "decoder.layers.output.weight");

    private static Matrix<double> Read(Autoencoder model, string name)
    {
        var weight = model.named_parameters().Single(p => p.name == name).parameter;
        using var noGrad = torch.no_grad();
        var values = weight.detach().to_type(torch.ScalarType.Float64).contiguous().data<double>().ToArray();
        var (rows, columns) = ((int)weight.shape[0], (int)weight.shape[1]);
        return Matrix<double>.Build.Dense(rows, columns, (i, j) => values[(i * columns) + j]);
    }
}
