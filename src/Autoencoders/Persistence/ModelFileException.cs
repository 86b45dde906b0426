namespace Autoencoders.Persistence;

/// <summary>
/// A model file could not be read: it is not a model file, it is corrupt or truncated, it was written
/// by an unsupported format version, or its tensors do not match the model its spec describes.
/// </summary>
public sealed class ModelFileException : IOException
{
    /// <summary>Creates the exception for the file at <paramref name="path"/>.</summary>
    public ModelFileException(string path, string message, Exception? inner = null)
        : base($"Cannot load model file '{path}': {message}", inner)
    {
        Path = path;
    }

    /// <summary>The path of the file that failed to load.</summary>
    public string Path { get; }
}
