using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Autoencoders.Persistence;

/// <summary>
/// The safetensors container of a model file, parsed and checked as a container: an 8-byte
/// little-endian header length, a JSON header with <c>__metadata__</c> (strings) and one entry per
/// tensor (dtype, shape, data_offsets), then the data. Every entry's type is one the format allows,
/// every shape is non-negative and every byte range lies inside the data section, has exactly the
/// bytes its type and shape need and overlaps no other; what the entries must be is the reader's
/// concern (<see cref="ModelFileInfo"/>).
/// </summary>
internal sealed class ModelFileLayout
{
    public const string FormatName = "autoencoders-model";
    public const int FormatVersion = 1;
    public const int PrefixBytes = 8;

    private const long MaxHeaderBytes = 64L * 1024 * 1024;
    private const int MaxRank = 8;

    private ModelFileLayout(Dictionary<string, string> metadata, List<ModelFileEntry> entries)
    {
        Metadata = metadata;
        Entries = entries;
        ByName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The <c>__metadata__</c> strings.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensors, in header order.</summary>
    public IReadOnlyList<ModelFileEntry> Entries { get; }

    public IReadOnlyDictionary<string, ModelFileEntry> ByName { get; }

    /// <summary>The size of a safetensors type's element, or 0 for a type model files never hold.</summary>
    public static int ElementSize(string dtype) => dtype switch
    {
        "F32" => sizeof(float),
        "I64" => sizeof(long),
        "U8" => 1,
        _ => 0,
    };

    /// <summary>The header's length, read from the first 8 bytes of a file of <paramref name="fileLength"/> bytes.</summary>
    public static int HeaderLength(string path, ReadOnlySpan<byte> prefix, long fileLength)
    {
        if (fileLength < PrefixBytes || prefix.Length < PrefixBytes)
        {
            throw new ModelFileException(path, $"the file is {fileLength} bytes long; a model file has at least an 8-byte header length.");
        }

        var length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (length > (ulong)(fileLength - PrefixBytes) || length > MaxHeaderBytes)
        {
            throw new ModelFileException(path, $"the header claims {length} bytes but only {fileLength - PrefixBytes} follow: the file is truncated or not a model file.");
        }

        return (int)length;
    }

    /// <summary>Parses and checks the JSON header of a file whose data section is <paramref name="dataLength"/> bytes long.</summary>
    public static ModelFileLayout Parse(string path, ReadOnlySpan<byte> header, long dataLength)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(header) as JsonObject
                ?? throw new ModelFileException(path, "the header is not a JSON object: this is not a model file.");
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, "the header is not valid JSON: this is not a model file, or it is corrupt.", e);
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<ModelFileEntry>();
        try
        {
            foreach (var (key, node) in root)
            {
                if (key == "__metadata__")
                {
                    foreach (var (name, value) in node!.AsObject())
                    {
                        metadata[name] = value!.GetValue<string>();
                    }
                }
                else
                {
                    entries.Add(ParseEntry(path, key, node!.AsObject(), dataLength));
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException or JsonException or ArgumentException or OverflowException)
        {
            // ArgumentException: a key repeated in one JSON object (found when the object is first enumerated).
            throw new ModelFileException(path, "the header does not have the safetensors layout: this is not a model file, or it is corrupt.", e);
        }

        if (metadata.GetValueOrDefault("format") != FormatName)
        {
            throw new ModelFileException(path, $"it is not an Autoencoders model file (format '{metadata.GetValueOrDefault("format") ?? "none"}'; expected '{FormatName}').");
        }

        if (!int.TryParse(metadata.GetValueOrDefault("format_version"), out var version) || version != FormatVersion)
        {
            throw new ModelFileException(path, $"format version '{metadata.GetValueOrDefault("format_version")}' is not supported; this library reads version {FormatVersion}.");
        }

        var ordered = entries.OrderBy(e => e.Begin).ToArray();
        for (var i = 1; i < ordered.Length; i++)
        {
            if (ordered[i].Begin < ordered[i - 1].End)
            {
                throw new ModelFileException(path, $"tensors '{ordered[i - 1].Name}' and '{ordered[i].Name}' overlap in the data section: the file is corrupt.");
            }
        }

        return new ModelFileLayout(metadata, entries);
    }

    private static ModelFileEntry ParseEntry(string path, string name, JsonObject entry, long dataLength)
    {
        var dtype = entry["dtype"]!.GetValue<string>();
        var elementSize = ElementSize(dtype);
        if (elementSize == 0)
        {
            throw new ModelFileException(path, $"tensor '{name}' has type '{dtype}'; model files hold only F32, I64 and U8 tensors.");
        }

        var dims = entry["shape"]!.AsArray();
        if (dims.Count > MaxRank)
        {
            throw new ModelFileException(path, $"tensor '{name}' has {dims.Count} dimensions; model files hold at most {MaxRank}.");
        }

        var shape = dims.Select(d => d!.GetValue<long>()).ToArray();
        var bytes = (long)elementSize;
        foreach (var d in shape)
        {
            if (d < 0 || (d > 0 && bytes > dataLength / d))
            {
                throw new ModelFileException(path, $"tensor '{name}' has shape [{string.Join(", ", shape)}], which needs more than the {dataLength} bytes of the data section.");
            }

            bytes *= d;
        }

        var offsets = entry["data_offsets"]!.AsArray();
        var begin = offsets.Count == 2 ? offsets[0]!.GetValue<long>() : -1;
        var end = offsets.Count == 2 ? offsets[1]!.GetValue<long>() : -1;
        if (begin < 0 || end < begin || end > dataLength || end - begin != bytes)
        {
            throw new ModelFileException(path, $"tensor '{name}' claims bytes [{begin}, {end}) of a {dataLength}-byte data section; it needs {bytes} bytes inside it.");
        }

        return new ModelFileEntry(name, dtype, shape, begin, end);
    }
}
