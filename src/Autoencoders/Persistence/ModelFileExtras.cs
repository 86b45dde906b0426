namespace Autoencoders.Persistence;

/// <summary>
/// What an application built on a model (an anomaly detector, a reducer) stores in the model file
/// beside it: string metadata and float32 vectors, kept under "app." names.
/// </summary>
/// <param name="Metadata">String values by key.</param>
/// <param name="Vectors">Float vectors by name (names without commas).</param>
internal sealed record ModelFileExtras(IReadOnlyDictionary<string, string> Metadata, IReadOnlyDictionary<string, float[]> Vectors)
{
    public const string Prefix = "app.";

    public static ModelFileExtras None { get; } = new(new Dictionary<string, string>(), new Dictionary<string, float[]>());

    /// <summary>Raw byte blobs by name (names without commas), stored as U8 tensors.</summary>
    public IReadOnlyDictionary<string, byte[]> Blobs { get; init; } = new Dictionary<string, byte[]>();
}
