using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Persistence;

/// <summary>
/// Reads and writes the model file: a safetensors container (8-byte little-endian header length, a
/// JSON header, then the raw little-endian data: float32 weights, int64 counters) whose <c>__metadata__</c> holds the format
/// name and version, the spec JSON, the scaler kind and a SHA-256 over the header and the data. Other tools
/// that read safetensors can read the weights; nothing in the file is ever executed.
/// </summary>
internal static class ModelFile
{
    public const string FormatName = "autoencoders-model";
    public const int FormatVersion = 1;

    private const string ScalerOffset = "scaler.offset";
    private const string ScalerScale = "scaler.scale";
    private const long MaxHeaderBytes = 64L * 1024 * 1024;
    private static readonly string HashPlaceholder = new('0', 64);

    public static void Write(string path, Autoencoder model) => Write(path, model, ModelFileExtras.None);

    /// <summary>
    /// Writes the model plus an application's own metadata (under "app." keys) and float32 vectors
    /// (under "app." names), e.g. an anomaly detector's threshold and calibration scores.
    /// </summary>
    public static void Write(string path, Autoencoder model, ModelFileExtras extras)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Model files are little-endian; big-endian hosts are not supported.");
        }

        var tensors = new List<(string Name, string DType, long[] Shape, byte[] Bytes)>();
        using (torch.no_grad())
        {
            foreach (var (name, tensor) in model.state_dict())
            {
                tensors.Add((name, DTypeName(name, tensor.dtype), tensor.shape, tensor.contiguous().bytes.ToArray()));
            }
        }

        if (model.Scaler is { } scaler)
        {
            tensors.Add((ScalerOffset, "F32", [scaler.FeatureCount], MemoryMarshal.AsBytes(scaler.Offset.ToArray().AsSpan()).ToArray()));
            tensors.Add((ScalerScale, "F32", [scaler.FeatureCount], MemoryMarshal.AsBytes(scaler.Scale.ToArray().AsSpan()).ToArray()));
        }

        foreach (var (name, values) in extras.Vectors)
        {
            tensors.Add((ModelFileExtras.Prefix + name, "F32", [values.Length], MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));
        }

        foreach (var (name, bytes) in extras.Blobs)
        {
            tensors.Add((ModelFileExtras.Prefix + name, "U8", [bytes.Length], bytes));
        }

        var data = new byte[tensors.Sum(t => (long)t.Bytes.Length)];
        var header = new JsonObject();
        long offset = 0;
        foreach (var (name, dtype, shape, bytes) in tensors)
        {
            bytes.CopyTo(data.AsSpan((int)offset));
            header[name] = new JsonObject
            {
                ["dtype"] = dtype,
                ["shape"] = new JsonArray(shape.Select(d => JsonValue.Create(d)).ToArray<JsonNode?>()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            offset += bytes.Length;
        }

        header["__metadata__"] = new JsonObject
        {
            ["format"] = FormatName,
            ["format_version"] = FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["spec"] = model.Spec.ToJson(),
            ["scaler"] = model.Scaler?.Kind ?? "none",
            ["sha256"] = HashPlaceholder,
            ["app_vectors"] = string.Join(",", extras.Vectors.Keys),
            ["app_blobs"] = string.Join(",", extras.Blobs.Keys),
        };
        foreach (var (key, value) in extras.Metadata)
        {
            header["__metadata__"]![ModelFileExtras.Prefix + key] = value;
        }

        var headerBytes = Seal(Encoding.UTF8.GetBytes(header.ToJsonString()), data);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
            stream.Write(length);
            stream.Write(headerBytes);
            stream.Write(data);
        });
    }

    public static Autoencoder Read(string path) => ReadWithExtras(path).Model;

    /// <summary>Reads the model and the application metadata and vectors stored with it.</summary>
    public static (Autoencoder Model, ModelFileExtras Extras) ReadWithExtras(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        TorchRuntime.EnsureAvailable();
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Model file '{fullPath}' does not exist.", fullPath);
        }

        byte[] file;
        try
        {
            file = File.ReadAllBytes(fullPath);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new ModelFileException(fullPath, e.Message, e);
        }

        var (metadata, entries, dataStart) = ParseHeader(fullPath, file);
        var dataSection = file.AsSpan(dataStart);
        if (!IsSealed(file.AsSpan(8, dataStart - 8), dataSection, metadata.GetValueOrDefault("sha256")))
        {
            throw new ModelFileException(fullPath, "the checksum of the header and weights does not match: the file is corrupt or was altered.");
        }

        var spec = ReadSpec(fullPath, metadata);

        // The spec is in the header, which the checksum does not cover: before it allocates a model,
        // check that the file holds at least that many weights (every weight is stored as ≥ 4 bytes).
        var minimumWeights = WeightBudget.MinimumWeights(spec);
        if (minimumWeights * sizeof(float) > dataSection.Length)
        {
            throw new ModelFileException(
                fullPath,
                $"the stored spec describes a model of at least {minimumWeights:g4} weights but the file holds only {dataSection.Length} bytes of data: the spec is corrupt.");
        }

        var model = spec.Build(seed: 0);
        try
        {
            var stateDict = model.state_dict();
            var expected = stateDict.ToDictionary(kv => kv.Key, kv => (DTypeName(kv.Key, kv.Value.dtype), kv.Value.shape));
            var scalerKind = metadata.GetValueOrDefault("scaler") ?? "none";
            if (scalerKind != "none")
            {
                expected[ScalerOffset] = ("F32", [spec.FeatureCount]);
                expected[ScalerScale] = ("F32", [spec.FeatureCount]);
            }

            var vectorNames = (metadata.GetValueOrDefault("app_vectors") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
            foreach (var vector in vectorNames)
            {
                var entryName = ModelFileExtras.Prefix + vector;
                if (!entries.TryGetValue(entryName, out var vectorEntry) || vectorEntry.Shape.Length != 1 || vectorEntry.Shape[0] < 0)
                {
                    throw new ModelFileException(fullPath, $"the application vector '{vector}' is missing or not one-dimensional.");
                }

                expected[entryName] = ("F32", vectorEntry.Shape);
            }

            var blobNames = (metadata.GetValueOrDefault("app_blobs") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
            foreach (var blob in blobNames)
            {
                var entryName = ModelFileExtras.Prefix + blob;
                if (!entries.TryGetValue(entryName, out var blobEntry) || blobEntry.Shape.Length != 1 || blobEntry.Shape[0] < 0)
                {
                    throw new ModelFileException(fullPath, $"the application blob '{blob}' is missing or not one-dimensional.");
                }

                expected[entryName] = ("U8", blobEntry.Shape);
            }

            CheckEntries(fullPath, entries, expected, dataSection.Length);
            using (torch.no_grad())
            {
                foreach (var (name, tensor) in stateDict)
                {
                    // Copy into the module's own (libtorch-allocated, aligned) storage; replacing the
                    // storage with managed memory changes kernel results and lifetimes.
                    using var source = TensorFromBytes(dataSection[(int)entries[name].Begin..(int)entries[name].End], tensor.dtype, tensor.shape);
                    tensor.copy_(source);
                }
            }

            if (scalerKind != "none")
            {
                try
                {
                    model.Scaler = Scaler.FromParameters(
                        scalerKind, ReadFloats(dataSection, entries[ScalerOffset]), ReadFloats(dataSection, entries[ScalerScale]));
                }
                catch (ArgumentException e)
                {
                    throw new ModelFileException(fullPath, $"the stored scaler is invalid: {e.Message}", e);
                }
            }

            var vectors = new Dictionary<string, float[]>();
            foreach (var vector in vectorNames)
            {
                vectors[vector] = ReadFloats(dataSection, entries[ModelFileExtras.Prefix + vector]);
            }

            var blobs = new Dictionary<string, byte[]>();
            foreach (var blob in blobNames)
            {
                var entry = entries[ModelFileExtras.Prefix + blob];
                blobs[blob] = dataSection[(int)entry.Begin..(int)entry.End].ToArray();
            }

            var extras = new ModelFileExtras(
                metadata.Where(kv => kv.Key.StartsWith(ModelFileExtras.Prefix, StringComparison.Ordinal))
                    .ToDictionary(kv => kv.Key[ModelFileExtras.Prefix.Length..], kv => kv.Value),
                vectors) { Blobs = blobs };
            return (model, extras);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static (Dictionary<string, string> Metadata, Dictionary<string, TensorEntry> Entries, int DataStart) ParseHeader(string path, byte[] file)
    {
        if (file.Length < 8)
        {
            throw new ModelFileException(path, $"the file is {file.Length} bytes long; a model file has at least an 8-byte header length.");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)(file.Length - 8) || headerLength > MaxHeaderBytes)
        {
            throw new ModelFileException(path, $"the header claims {headerLength} bytes but only {file.Length - 8} follow: the file is truncated or not a model file.");
        }

        JsonObject header;
        try
        {
            header = JsonNode.Parse(file.AsSpan(8, (int)headerLength)) as JsonObject
                ?? throw new ModelFileException(path, "the header is not a JSON object: this is not a model file.");
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, "the header is not valid JSON: this is not a model file, or it is corrupt.", e);
        }

        var metadata = new Dictionary<string, string>();
        var entries = new Dictionary<string, TensorEntry>();
        try
        {
            foreach (var (key, node) in header)
            {
                if (key == "__metadata__")
                {
                    foreach (var (mk, mv) in node!.AsObject())
                    {
                        metadata[mk] = mv!.GetValue<string>();
                    }

                    continue;
                }

                var obj = node!.AsObject();
                var offsets = obj["data_offsets"]!.AsArray().Select(n => n!.GetValue<long>()).ToArray();
                entries[key] = new TensorEntry(
                    obj["dtype"]!.GetValue<string>(),
                    obj["shape"]!.AsArray().Select(n => n!.GetValue<long>()).ToArray(),
                    offsets.Length == 2 ? offsets[0] : -1,
                    offsets.Length == 2 ? offsets[1] : -1);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException or JsonException or ArgumentException)
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

        return (metadata, entries, 8 + (int)headerLength);
    }

    private static AutoencoderSpec ReadSpec(string path, Dictionary<string, string> metadata)
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

    private static void CheckEntries(string path, Dictionary<string, TensorEntry> entries, Dictionary<string, (string DType, long[] Shape)> expected, long dataLength)
    {
        foreach (var name in entries.Keys.Where(n => !expected.ContainsKey(n)))
        {
            throw new ModelFileException(path, $"it holds a tensor '{name}' that the stored spec's model does not have.");
        }

        foreach (var (name, (dtype, shape)) in expected)
        {
            if (!entries.TryGetValue(name, out var entry))
            {
                throw new ModelFileException(path, $"tensor '{name}' is missing.");
            }

            if (entry.DType != dtype)
            {
                throw new ModelFileException(path, $"tensor '{name}' has type {entry.DType}; expected {dtype}.");
            }

            if (!entry.Shape.SequenceEqual(shape))
            {
                throw new ModelFileException(path, $"tensor '{name}' has shape {Shapes.Format(entry.Shape)}; the spec's model needs {Shapes.Format(shape)}.");
            }

            var bytes = shape.Aggregate(1L, (a, b) => a * b) * dtype switch { "I64" => sizeof(long), "U8" => 1, _ => sizeof(float) };
            if (entry.Begin < 0 || entry.End > dataLength || entry.End - entry.Begin != bytes)
            {
                throw new ModelFileException(path, $"tensor '{name}' claims bytes [{entry.Begin}, {entry.End}) of a {dataLength}-byte data section; it needs {bytes} bytes inside it.");
            }
        }

        var ordered = entries.Values.OrderBy(e => e.Begin).ToArray();
        for (var i = 1; i < ordered.Length; i++)
        {
            if (ordered[i].Begin < ordered[i - 1].End)
            {
                throw new ModelFileException(path, "two tensors overlap in the data section: the file is corrupt.");
            }
        }
    }

    /// <summary>
    /// Fills in the header's SHA-256, which covers the header itself (with the hash's own 64 characters
    /// as zeros) and the data section, so that neither the weights nor the spec, scaler or an
    /// application's metadata (a detector's threshold) can change unnoticed. A header without the
    /// field (only a damaged one) is returned unchanged; such a file never loads.
    /// </summary>
    internal static byte[] Seal(byte[] header, ReadOnlySpan<byte> data)
    {
        var sealedHeader = (byte[])header.Clone();
        var at = HashPosition(sealedHeader, null);
        if (at < 0 || at + HashPlaceholder.Length > sealedHeader.Length)
        {
            return sealedHeader;
        }

        Encoding.ASCII.GetBytes(HashPlaceholder).CopyTo(sealedHeader, at);
        var hash = Encoding.ASCII.GetBytes(Hash(sealedHeader, data));
        hash.CopyTo(sealedHeader, at);
        return sealedHeader;
    }

    /// <summary>Whether <paramref name="expected"/> is the seal of this header and data.</summary>
    private static bool IsSealed(ReadOnlySpan<byte> header, ReadOnlySpan<byte> data, string? expected)
    {
        if (expected is null || expected.Length != HashPlaceholder.Length)
        {
            return false;
        }

        var copy = header.ToArray();
        var at = HashPosition(copy, expected);
        if (at < 0)
        {
            return false;
        }

        Encoding.ASCII.GetBytes(HashPlaceholder).CopyTo(copy, at);
        return string.Equals(Hash(copy, data), expected, StringComparison.Ordinal);
    }

    /// <summary>Where the hash's characters start in the header bytes (the value after "sha256":"), or −1.</summary>
    private static int HashPosition(byte[] header, string? value)
    {
        var key = Encoding.ASCII.GetBytes("\"sha256\":\"" + (value ?? string.Empty));
        var index = header.AsSpan().IndexOf(key);
        return index < 0 ? -1 : index + key.Length - (value?.Length ?? 0);
    }

    private static string Hash(byte[] header, ReadOnlySpan<byte> data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        hash.AppendData(data);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>A new libtorch-owned tensor holding a copy of little-endian float32 or int64 bytes.</summary>
    internal static Tensor TensorFromBytes(ReadOnlySpan<byte> bytes, ScalarType dtype, long[] shape)
    {
        using var wrapped = dtype == ScalarType.Int64
            ? torch.tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), shape)
            : torch.tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape);
        return wrapped.clone();
    }

    private static string DTypeName(string name, ScalarType type) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Int64 => "I64",
        _ => throw new NotSupportedException($"Tensor '{name}' has type {type}; model files hold float32 and int64 tensors."),
    };

    private static float[] ReadFloats(ReadOnlySpan<byte> data, TensorEntry entry) =>
        MemoryMarshal.Cast<byte, float>(data[(int)entry.Begin..(int)entry.End]).ToArray();

    private sealed record TensorEntry(string DType, long[] Shape, long Begin, long End);
}
