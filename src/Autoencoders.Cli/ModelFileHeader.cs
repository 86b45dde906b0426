using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Autoencoders.Cli;

/// <summary>
/// The header of a model file, read directly: the files are safetensors containers (8-byte little-endian
/// header length, a JSON header naming each tensor's type, shape and byte range, and a
/// <c>__metadata__</c> map of strings).
/// </summary>
/// <param name="Metadata">The <c>__metadata__</c> strings: format, format_version, spec, scaler, sha256, app.* keys.</param>
/// <param name="Tensors">Each tensor's name, type and shape, in file order.</param>
internal sealed record ModelFileHeader(IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<(string Name, string DType, long[] Shape)> Tensors)
{
    private const long MaxHeaderBytes = 64L * 1024 * 1024;

    /// <summary>Reads the header of the file at <paramref name="path"/>.</summary>
    public static ModelFileHeader Read(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
        {
            throw new UsageException($"'{path}' is not a model file: it is shorter than a safetensors header.");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(prefix);
        if (length <= 0 || length > MaxHeaderBytes || length > stream.Length - 8)
        {
            throw new UsageException($"'{path}' is not a model file: its first 8 bytes do not give a plausible safetensors header length.");
        }

        var json = new byte[length];
        stream.ReadExactly(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Encoding.UTF8.GetString(json));
        }
        catch (JsonException e)
        {
            throw new UsageException($"'{path}' is not a model file: its header is not JSON ({e.Message}).", e);
        }

        using (document)
        {
            var metadata = new Dictionary<string, string>();
            var tensors = new List<(string, string, long[])>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    foreach (var entry in property.Value.EnumerateObject())
                    {
                        metadata[entry.Name] = entry.Value.GetString() ?? string.Empty;
                    }
                }
                else
                {
                    tensors.Add((property.Name, property.Value.GetProperty("dtype").GetString() ?? "?",
                        property.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray()));
                }
            }

            return new ModelFileHeader(metadata, tensors);
        }
    }
}
