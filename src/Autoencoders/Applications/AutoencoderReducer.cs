using Autoencoders.Data;
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

    /// <summary>Trains a reducer on a dataset (tables or images).</summary>
    public static AutoencoderReducer Fit(InMemoryDataset data, ReducerOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new ReducerOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Components);
        var (model, history) = FittedModel.Train(data, options.Spec, options.Scaling, options.Training, options.Seed, options.Components, progress, cancellationToken);
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

    /// <summary>Reduces every sample of a dataset.</summary>
    public float[,] Transform(InMemoryDataset data) => Model.Encode(data);

    /// <summary>Maps reduced rows back to the original space and units.</summary>
    public float[,] InverseTransform(float[,] reduced) => Model.Decode(reduced);

    /// <summary>Saves the model and its scaler to one file.</summary>
    public void Save(string path) =>
        ModelFile.Write(path, new ModelFileContents(Model) { Application = new ModelFileApplication(Application) });

    /// <summary>Loads a reducer saved by <see cref="Save"/>, or any model file.</summary>
    /// <exception cref="ModelFileException">The file is not a model file, or is corrupt.</exception>
    public static AutoencoderReducer Load(string path) => new(ModelFile.Read(path).Model, history: null);

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
