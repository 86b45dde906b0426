using Autoencoders.Data;
using Autoencoders.Evaluation;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Training;

namespace Autoencoders.Applications;

/// <summary>
/// Nonlinear dimensionality reduction with an autoencoder, shaped like scikit-learn's transformers:
/// <c>Fit</c>, <c>Transform</c>, <c>InverseTransform</c>, <c>FitTransform</c>. Any variant can sit
/// underneath (a VAE transforms to its posterior means); the scaler is inside and saved with it.
/// </summary>
/// <example>
/// <code>
/// var (reducer, embedding) = AutoencoderReducer.FitTransform(rows, new ReducerOptions { Components = 2 });
/// float[,] back = reducer.InverseTransform(embedding);
/// reducer.Save("reducer.aemodel");
/// </code>
/// </example>
public sealed class AutoencoderReducer : IDisposable
{
    private const string Application = "reducer";

    private AutoencoderReducer(Autoencoder model, TrainingHistory? history)
    {
        Model = model;
        History = history;
    }

    /// <summary>The trained autoencoder (with its scaler).</summary>
    public Autoencoder Model { get; }

    /// <summary>The number of output dimensions.</summary>
    public int Components => Model.LatentSize;

    /// <summary>The training run (null for a reducer loaded from a file).</summary>
    public TrainingHistory? History { get; }

    /// <summary>Trains a reducer on rows (one sample per row).</summary>
    public static AutoencoderReducer Fit(float[,] rows, ReducerOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        using var data = InMemoryDataset.FromArray(rows);
        return Fit(data, options, progress, cancellationToken);
    }

    /// <summary>Trains a reducer on samples (tables or images), in memory or streamed.</summary>
    public static AutoencoderReducer Fit(DataSource data, ReducerOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new ReducerOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Components);
        var (model, history) = FittedModel.Train(data, options.Spec, options.Scaling, options.Training, options.Seed, options.Device, options.Components, progress, cancellationToken);
        return new AutoencoderReducer(model, history);
    }

    /// <summary>Trains a reducer and returns it with the reduced rows.</summary>
    public static (AutoencoderReducer Reducer, float[,] Reduced) FitTransform(float[,] rows, ReducerOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        var reducer = Fit(rows, options, progress, cancellationToken);
        return (reducer, reducer.Transform(rows));
    }

    /// <summary>Reduces rows to <see cref="Components"/> values each (deterministic).</summary>
    public float[,] Transform(float[,] rows) => Model.Encode(rows);

    /// <summary>Reduces every sample of a source, in its order.</summary>
    public float[,] Transform(DataSource data) => Model.Encode(data);

    /// <summary>Maps reduced rows back to the original space and units.</summary>
    public float[,] InverseTransform(float[,] reduced) => Model.Decode(reduced);

    /// <summary>
    /// Scores how much of the rows' structure their reduction keeps: trustworthiness, continuity, k-NN
    /// preservation, distance correlation and, given labels, leave-one-out k-NN accuracy (see
    /// <see cref="EmbeddingQuality"/>). The input side is the rows as the model sees them, after its scaler
    /// (the same rows for images in [0, 1]), so no feature dominates by its units; score a baseline such
    /// as PCA against the same scaled rows to compare.
    /// </summary>
    /// <param name="rows">The rows to reduce and score, one sample per row.</param>
    /// <param name="labels">Optional class labels, one per row, for the k-NN accuracy.</param>
    /// <param name="options">k, the pair sample and threads; defaults (k = 5) when null.</param>
    /// <param name="progress">Reports rows done during the neighbour search.</param>
    /// <param name="cancellationToken">Stops the neighbour search.</param>
    /// <returns>Every measure of <see cref="EmbeddingQualityReport"/>.</returns>
    public EmbeddingQualityReport ScoreEmbedding(
        float[,] rows,
        IReadOnlyList<long>? labels = null,
        EmbeddingQualityOptions? options = null,
        IProgress<NeighbourSearchProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        EmbeddingQuality.Measure(Model.Scaler?.Transform(rows) ?? rows, Transform(rows), labels, options, progress, cancellationToken);

    /// <summary>Saves the model and its scaler to one file.</summary>
    public void Save(string path) =>
        ModelFile.Write(path, new ModelFileContents(Model) { Application = new ModelFileApplication(Application) });

    /// <summary>Loads a reducer saved by <see cref="Save"/>, or any model file.</summary>
    /// <param name="path">The reducer or model file.</param>
    /// <param name="device">Where the loaded model computes, as in <see cref="ReducerOptions.Device"/>; the file may come from any device.</param>
    /// <exception cref="ModelFileException">The file is not a model file, or is corrupt.</exception>
    /// <exception cref="ArgumentException">The device is not "cpu", "cuda" or "cuda:N".</exception>
    /// <exception cref="InvalidOperationException">A CUDA device was asked for and this process has no CUDA backend or no such device.</exception>
    public static AutoencoderReducer Load(string path, string device = "cpu") =>
        new(ModelFile.Read(path, Devices.Parse(device, nameof(device))).Model, history: null);

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
