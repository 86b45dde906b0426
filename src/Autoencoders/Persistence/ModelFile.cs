using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Native;
using TorchSharp;

namespace Autoencoders.Persistence;

/// <summary>
/// Reads and writes the model file: a safetensors container (8-byte little-endian header length, a
/// JSON header, then the raw little-endian data: float32 weights, int64 counters, bytes) whose
/// <c>__metadata__</c> holds the format name and version, the spec JSON, the scaler kind, the
/// application's fields and a SHA-256 over the header and the data. Other tools that read safetensors
/// can read the weights; nothing in the file is ever executed. The only code that knows this layout
/// is this folder.
/// </summary>
internal static class ModelFile
{
    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static void Write(string path, ModelFileContents contents)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(contents);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Model files are little-endian; big-endian hosts are not supported.");
        }

        var model = contents.Model;
        model.ThrowIfOnMeta("be saved");
        var tensors = new List<(string Name, string DType, long[] Shape, byte[] Bytes)>();
        using (torch.no_grad())
        {
            foreach (var (name, tensor) in model.state_dict())
            {
                tensors.Add((name, ModelFileInfo.DTypeName(tensor.dtype), tensor.shape, TensorBytes.Of(tensor)));
            }
        }

        if (model.Scaler is { } scaler)
        {
            tensors.Add((ModelFileInfo.ScalerOffset, "F32", [scaler.FeatureCount], FloatBytes(scaler.Offset.ToArray())));
            tensors.Add((ModelFileInfo.ScalerScale, "F32", [scaler.FeatureCount], FloatBytes(scaler.Scale.ToArray())));
        }

        foreach (var (name, values) in contents.Vectors)
        {
            tensors.Add((ModelFileInfo.AppPrefix + CheckedName(name), "F32", [values.Length], FloatBytes(values)));
        }

        foreach (var (name, bytes) in contents.Blobs)
        {
            tensors.Add((ModelFileInfo.AppPrefix + CheckedName(name), "U8", [bytes.Length], bytes));
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

        var metadata = new JsonObject
        {
            ["format"] = ModelFileLayout.FormatName,
            ["format_version"] = ModelFileLayout.FormatVersion.ToString(CultureInfo.InvariantCulture),
            ["spec"] = model.Spec.ToJson(),
            ["scaler"] = model.Scaler?.Kind ?? "none",
            ["sha256"] = ModelFileChecksum.Placeholder,
            [ModelFileInfo.AppVectorsKey] = string.Join(",", contents.Vectors.Keys),
            [ModelFileInfo.AppBlobsKey] = string.Join(",", contents.Blobs.Keys),
        };
        if (contents.Application is { } application)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(application.Kind, nameof(contents));
            metadata[ModelFileInfo.AppKindKey] = application.Kind;
            foreach (var (key, value) in application.Fields)
            {
                metadata[ModelFileInfo.AppPrefix + key] = value;
            }
        }

        header["__metadata__"] = metadata;
        var headerBytes = ModelFileChecksum.Seal(Encoding.UTF8.GetBytes(header.ToJsonString()), data);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[ModelFileLayout.PrefixBytes];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
            stream.Write(length);
            stream.Write(headerBytes);
            stream.Write(data);
        });
    }

    /// <summary>
    /// Reads a model file: everything <see cref="ModelFileInfo.Read"/> checks is checked before the
    /// model is built, then the weights, the scaler and the application's vectors and blobs are read.
    /// The file holds CPU bytes whatever device wrote it; the model is filled on the CPU, then moved to
    /// <paramref name="device"/>.
    /// </summary>
    /// <param name="path">The model file.</param>
    /// <param name="device">The device of the model; the CPU when null.</param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="ModelFileException">The file is not a model file, is corrupt, truncated or of an unsupported version.</exception>
    /// <exception cref="ArgumentException">The device is the meta device, which cannot hold weights, or of an unsupported type.</exception>
    /// <exception cref="InvalidOperationException">CUDA was requested and this process has no CUDA backend or no such device.</exception>
    public static ModelFileContents Read(string path, torch.Device? device = null)
    {
        TorchRuntime.EnsureAvailable();
        var target = Devices.Check(device, allowMeta: false, nameof(device));
        var fullPath = ModelFileInfo.ExistingFile(path);
        byte[] file;
        try
        {
            file = File.ReadAllBytes(fullPath);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new ModelFileException(fullPath, e.Message, e);
        }

        var headerLength = ModelFileLayout.HeaderLength(fullPath, file, file.Length);
        var dataStart = ModelFileLayout.PrefixBytes + headerLength;
        var info = ModelFileInfo.Check(fullPath, file.Length, file.AsSpan(ModelFileLayout.PrefixBytes, headerLength), hash => hash.AppendData(file.AsSpan(dataStart)));
        var data = file.AsSpan(dataStart);
        var entries = info.Layout.ByName;

        var model = info.Spec.Build(seed: 0);
        try
        {
            using (torch.no_grad())
            {
                foreach (var (name, tensor) in model.state_dict())
                {
                    // Copy into the module's own (libtorch-allocated, aligned) storage; replacing the
                    // storage with managed memory changes kernel results and lifetimes.
                    using var source = TensorBytes.ToTensor(Bytes(data, entries[name]), tensor.dtype, tensor.shape);
                    tensor.copy_(source);
                }
            }

            if (info.ScalerKind is { } scalerKind)
            {
                try
                {
                    model.Scaler = Scaler.FromParameters(
                        scalerKind, Floats(data, entries[ModelFileInfo.ScalerOffset]), Floats(data, entries[ModelFileInfo.ScalerScale]));
                }
                catch (ArgumentException e)
                {
                    throw new ModelFileException(fullPath, $"the stored scaler is invalid: {e.Message}", e);
                }
            }

            var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (var name in info.VectorNames)
            {
                vectors[name] = Floats(data, entries[ModelFileInfo.AppPrefix + name]);
            }

            var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var name in info.BlobNames)
            {
                blobs[name] = Bytes(data, entries[ModelFileInfo.AppPrefix + name]).ToArray();
            }

            model.To(target);
            return new ModelFileContents(model) { Application = info.Application, Vectors = vectors, Blobs = blobs };
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static string CheckedName(string name) =>
        name.Length > 0 && !name.Contains(',', StringComparison.Ordinal)
            ? name
            : throw new ArgumentException($"'{name}' cannot name an application's vector or blob: names are non-empty and have no commas.", nameof(name));

    private static byte[] FloatBytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> data, ModelFileEntry entry) => data[(int)entry.Begin..(int)entry.End];

    private static float[] Floats(ReadOnlySpan<byte> data, ModelFileEntry entry) => MemoryMarshal.Cast<byte, float>(Bytes(data, entry)).ToArray();
}
