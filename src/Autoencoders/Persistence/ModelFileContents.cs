using Autoencoders.Model;

namespace Autoencoders.Persistence;

/// <summary>
/// Everything a model file holds, typed: the model (its spec, weights and scaler), and what the
/// application that wrote it keeps beside it: its kind and fields, float vectors (a detector's
/// calibration scores) and byte blobs (a checkpoint's optimiser and generator states). Written by
/// <see cref="ModelFile.Write"/>, returned by <see cref="ModelFile.Read"/>.
/// </summary>
/// <param name="Model">The model; its spec and scaler are saved with its weights.</param>
internal sealed record ModelFileContents(Autoencoder Model)
{
    /// <summary>The application that writes the file, or null for a plain model.</summary>
    public ModelFileApplication? Application { get; init; }

    /// <summary>Float vectors by name (names without commas).</summary>
    public IReadOnlyDictionary<string, float[]> Vectors { get; init; } = new Dictionary<string, float[]>();

    /// <summary>Byte blobs by name (names without commas).</summary>
    public IReadOnlyDictionary<string, byte[]> Blobs { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>
    /// The application's fields, after checking that the file was written by the application
    /// <paramref name="kind"/>; otherwise a <see cref="ModelFileException"/> saying what the file holds.
    /// </summary>
    /// <param name="path">The file's path, for the message.</param>
    /// <param name="kind">The application's kind, e.g. <c>anomaly-detector</c>.</param>
    /// <param name="description">The application in words, e.g. "an anomaly detector".</param>
    public IReadOnlyDictionary<string, string> FieldsOf(string path, string kind, string description) =>
        Application?.Kind == kind
            ? Application.Fields
            : throw new ModelFileException(
                Path.GetFullPath(path),
                Application is null
                    ? $"it holds a model but not {description} (load it with Autoencoder.Load)."
                    : $"it was written by '{Application.Kind}', not by {description}.");
}
