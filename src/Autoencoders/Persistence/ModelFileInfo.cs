using System.Security.Cryptography;
using Autoencoders.Data;
using Autoencoders.Model;
using static TorchSharp.torch;

namespace Autoencoders.Persistence;

/// <summary>
/// What a model file holds, read and checked without loading its weights: the format version, the
/// checksum, the spec, the scaler kind, the application that wrote it and every tensor's name, type
/// and shape.
/// </summary>
/// <remarks>
/// <see cref="Read"/> checks what loading checks before any weight is read: the container, the format
/// and version, the checksum over header and data, the spec, and that the tensors are exactly the ones
/// the spec's model, the scaler and the application need, with the right types and shapes. A file that
/// passes loads unless its values are invalid (a scaler with a zero scale). The weights are streamed
/// through the hash, never held in memory.
/// </remarks>
/// <example>
/// <code>
/// var info = ModelFileInfo.Read("sensors.aemodel");
/// Console.WriteLine($"{info.Spec.FeatureCount} features → {info.Spec.Bottleneck.Latent} codes, {info.ParameterCount} parameters");
/// Console.WriteLine(info.Application?.Kind ?? "a plain model");
/// </code>
/// </example>
public sealed class ModelFileInfo
{
    internal const string ScalerOffset = "scaler.offset";
    internal const string ScalerScale = "scaler.scale";
    internal const string AppPrefix = "app.";
    internal const string AppKindKey = "app.application";
    internal const string AppVectorsKey = "app_vectors";
    internal const string AppBlobsKey = "app_blobs";

    private ModelFileInfo(string path, long length, ModelFileLayout layout, AutoencoderSpec spec, IReadOnlyList<(string Name, ScalarType DType, long[] Shape, bool IsParameter)> state, ModelFileApplication? application, string[] vectors, string[] blobs)
    {
        Path = path;
        Length = length;
        Layout = layout;
        Spec = spec;
        State = state;
        Application = application;
        VectorNames = vectors;
        BlobNames = blobs;
        ScalerKind = layout.Metadata.GetValueOrDefault("scaler") is { } kind and not "none" ? kind : null;
        Tensors = layout.Entries.Select(e => e.ToPublic()).ToArray();
        ParameterCount = state.Where(s => s.IsParameter).Sum(s => Shapes.Product(s.Shape));
    }

    /// <summary>The format name every model file carries in its metadata.</summary>
    public const string FormatName = ModelFileLayout.FormatName;

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

    /// <summary>The file's length in bytes.</summary>
    public long Length { get; }

    /// <summary>The format version (1).</summary>
    public int FormatVersion => ModelFileLayout.FormatVersion;

    /// <summary>The SHA-256 over header and data stored in the file, as 64 lower-case hex digits; verified.</summary>
    public string Checksum => Layout.Metadata["sha256"];

    /// <summary>The spec of the model the file holds.</summary>
    public AutoencoderSpec Spec { get; }

    /// <summary>The kind of the scaler saved with the model (<c>standard</c>, <c>minmax</c>), or null for none.</summary>
    public string? ScalerKind { get; }

    /// <summary>The application that wrote the file and its fields, or null for a plain model.</summary>
    public ModelFileApplication? Application { get; }

    /// <summary>Every tensor of the file, in header order: the model's state, the scaler's, the application's.</summary>
    public IReadOnlyList<ModelFileTensor> Tensors { get; }

    /// <summary>The number of trained parameters of the model (buffers such as batch-norm statistics left out).</summary>
    public long ParameterCount { get; }

    internal ModelFileLayout Layout { get; }

    /// <summary>The state dict of the spec's model, as the reader expects to find it in the file.</summary>
    internal IReadOnlyList<(string Name, ScalarType DType, long[] Shape, bool IsParameter)> State { get; }

    internal IReadOnlyList<string> VectorNames { get; }

    internal IReadOnlyList<string> BlobNames { get; }

    /// <summary>Reads and checks the header of the model file at <paramref name="path"/>, without loading its weights.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="ModelFileException">The file is not a model file, is corrupt, truncated or of an unsupported version.</exception>
    public static ModelFileInfo Read(string path)
    {
        var fullPath = ExistingFile(path);
        try
        {
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            Span<byte> prefix = stackalloc byte[ModelFileLayout.PrefixBytes];
            var got = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
            var header = new byte[ModelFileLayout.HeaderLength(fullPath, prefix[..got], stream.Length)];
            stream.ReadExactly(header);
            return Check(fullPath, stream.Length, header, hash =>
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = stream.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer.AsSpan(0, read));
                }
            });
        }
        catch (IOException e) when (e is not ModelFileException and not FileNotFoundException)
        {
            throw new ModelFileException(fullPath, e.Message, e);
        }
    }

    /// <summary>The full path of an existing file, or <see cref="FileNotFoundException"/>.</summary>
    internal static string ExistingFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        return File.Exists(fullPath) ? fullPath : throw new FileNotFoundException($"Model file '{fullPath}' does not exist.", fullPath);
    }

    /// <summary>
    /// Checks a header (the bytes after the length prefix) of a file of <paramref name="length"/> bytes;
    /// <paramref name="hashData"/> feeds the data section to the checksum.
    /// </summary>
    internal static ModelFileInfo Check(string path, long length, ReadOnlySpan<byte> header, Action<IncrementalHash> hashData)
    {
        var dataLength = length - ModelFileLayout.PrefixBytes - header.Length;
        var layout = ModelFileLayout.Parse(path, header, dataLength);
        if (!ModelFileChecksum.IsSealed(header, layout.Metadata.GetValueOrDefault("sha256"), hashData))
        {
            throw new ModelFileException(path, "the checksum of the header and weights does not match: the file is corrupt or was altered.");
        }

        var spec = ReadSpec(path, layout.Metadata);

        // The checksum proves no damage, not authorship: before the spec's model is built, make sure
        // the file can hold its weights at all (shapes come from a build that allocates nothing).
        var state = StateShapesOf(path, spec);
        var stateBytes = state.Sum(s => s.Shape.Aggregate((double)ElementSize(path, s.Name, s.DType), (a, b) => a * b));
        if (stateBytes > dataLength)
        {
            throw new ModelFileException(
                path,
                $"the stored spec describes a model of at least {stateBytes / sizeof(float):g4} weights ({stateBytes:g4} bytes) but the file holds only {dataLength} bytes of data: the spec is corrupt.");
        }

        var application = ReadApplication(path, layout.Metadata);
        var vectors = Names(path, layout.Metadata, AppVectorsKey);
        var blobs = Names(path, layout.Metadata, AppBlobsKey);
        var expected = new Dictionary<string, (string DType, long[]? Shape)>(StringComparer.Ordinal);
        foreach (var (name, dtype, shape, _) in state)
        {
            expected[name] = (DTypeName(dtype), shape);
        }

        if (layout.Metadata.GetValueOrDefault("scaler") is { } scaler and not "none")
        {
            expected[ScalerOffset] = ("F32", [spec.FeatureCount]);
            expected[ScalerScale] = ("F32", [spec.FeatureCount]);
        }

        foreach (var vector in vectors)
        {
            expected[AppPrefix + vector] = ("F32", null);
        }

        foreach (var blob in blobs)
        {
            expected[AppPrefix + blob] = ("U8", null);
        }

        CheckEntries(path, layout, expected);
        return new ModelFileInfo(path, length, layout, spec, state, application, vectors, blobs);
    }

    /// <summary>The safetensors name of a tensor type model files hold.</summary>
    internal static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Int64 => "I64",
        _ => throw new NotSupportedException($"A tensor of type {type}: model files hold float32 and int64 tensors."),
    };

    private static double ElementSize(string path, string name, ScalarType type) => type switch
    {
        ScalarType.Float32 => sizeof(float),
        ScalarType.Int64 => sizeof(long),
        _ => throw new ModelFileException(path, $"the stored spec's model has a tensor '{name}' of type {type}; model files hold float32 and int64 tensors."),
    };

    private static IReadOnlyList<(string Name, ScalarType DType, long[] Shape, bool IsParameter)> StateShapesOf(string path, AutoencoderSpec spec)
    {
        try
        {
            return StateShapes.Of(spec);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or OverflowException or InvalidOperationException)
        {
            throw new ModelFileException(path, $"the stored spec cannot be built: {e.Message}", e);
        }
    }

    private static AutoencoderSpec ReadSpec(string path, IReadOnlyDictionary<string, string> metadata)
    {
        try
        {
            return AutoencoderSpec.FromJson(metadata.GetValueOrDefault("spec") ?? throw new ArgumentException("the spec is missing."));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or OverflowException or InvalidOperationException)
        {
            throw new ModelFileException(path, $"the stored spec is invalid: {e.Message}", e);
        }
    }

    private static ModelFileApplication? ReadApplication(string path, IReadOnlyDictionary<string, string> metadata)
    {
        var fields = metadata
            .Where(kv => kv.Key.StartsWith(AppPrefix, StringComparison.Ordinal) && kv.Key != AppKindKey)
            .ToDictionary(kv => kv.Key[AppPrefix.Length..], kv => kv.Value, StringComparer.Ordinal);
        if (metadata.TryGetValue(AppKindKey, out var kind) && kind.Length > 0)
        {
            return new ModelFileApplication(kind, fields);
        }

        return fields.Count == 0
            ? null
            : throw new ModelFileException(path, "it holds an application's fields but does not say which application wrote them.");
    }

    private static string[] Names(string path, IReadOnlyDictionary<string, string> metadata, string key)
    {
        var names = (metadata.GetValueOrDefault(key) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
        return names.Distinct(StringComparer.Ordinal).Count() == names.Length
            ? names
            : throw new ModelFileException(path, $"the header's list '{key}' names a tensor twice.");
    }

    private static void CheckEntries(string path, ModelFileLayout layout, Dictionary<string, (string DType, long[]? Shape)> expected)
    {
        foreach (var entry in layout.Entries.Where(e => !expected.ContainsKey(e.Name)))
        {
            throw new ModelFileException(path, $"it holds a tensor '{entry.Name}' that the stored spec's model does not have.");
        }

        foreach (var (name, (dtype, shape)) in expected)
        {
            if (!layout.ByName.TryGetValue(name, out var entry))
            {
                throw new ModelFileException(path, $"tensor '{name}' is missing.");
            }

            if (entry.DType != dtype)
            {
                throw new ModelFileException(path, $"tensor '{name}' has type {entry.DType}; expected {dtype}.");
            }

            if (shape is null ? entry.Shape.Length != 1 : !entry.Shape.SequenceEqual(shape))
            {
                var needed = shape is null ? "one dimension" : Format(shape);
                throw new ModelFileException(path, $"tensor '{name}' has shape {Format(entry.Shape)}; the spec's model needs {needed}.");
            }
        }
    }

    private static string Format(long[] shape) => $"[{string.Join(", ", shape)}]";
}
