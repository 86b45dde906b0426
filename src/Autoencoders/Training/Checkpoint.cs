using System.Globalization;
using System.Text.Json;
using Autoencoders.Model;
using Autoencoders.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Training;

/// <summary>
/// A training checkpoint: one model file (written atomically) holding the weights, the optimiser's
/// state, both random generators' states, the best weights so far and the run's progress, so that a
/// resumed run continues bit for bit where the interrupted one stopped.
/// </summary>
internal static class Checkpoint
{
    private const string Kind = "training-checkpoint";
    private const string BestPrefix = "best.";
    private static readonly string[] BlobNames = ["optimizer", "shuffle_rng", "noise_rng"];
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void Save(
        string path,
        Autoencoder model,
        optim.Optimizer optimizer,
        Generator shuffle,
        Generator noise,
        IReadOnlyDictionary<string, Tensor>? bestWeights,
        TrainingProgressState state)
    {
        var blobs = new Dictionary<string, byte[]>
        {
            ["optimizer"] = OptimizerBytes(optimizer),
            ["shuffle_rng"] = GeneratorBytes(shuffle),
            ["noise_rng"] = GeneratorBytes(noise),
        };
        foreach (var (name, tensor) in bestWeights ?? new Dictionary<string, Tensor>())
        {
            blobs[BestPrefix + name] = tensor.contiguous().bytes.ToArray();
        }

        var metadata = new Dictionary<string, string>
        {
            ["application"] = Kind,
            ["state"] = JsonSerializer.Serialize(state, Json),
        };
        ModelFile.Write(path, model, new ModelFileExtras(metadata, new Dictionary<string, float[]>()) { Blobs = blobs });
    }

    /// <summary>
    /// Restores a checkpoint into the live run: weights into <paramref name="model"/>, state into the
    /// optimiser and generators; returns the progress and the best weights saved with it.
    /// </summary>
    public static (TrainingProgressState State, Dictionary<string, Tensor>? BestWeights) Restore(
        string path,
        Autoencoder model,
        optim.Optimizer optimizer,
        Generator shuffle,
        Generator noise,
        string fingerprint)
    {
        var (saved, extras) = ModelFile.ReadWithExtras(path);
        using (saved)
        {
            if (extras.Metadata.GetValueOrDefault("application") != Kind || !extras.Metadata.TryGetValue("state", out var json))
            {
                throw new ModelFileException(Path.GetFullPath(path), "it is not a training checkpoint.");
            }

            TrainingProgressState? state;
            try
            {
                state = JsonSerializer.Deserialize<TrainingProgressState>(json, Json);
            }
            catch (JsonException e)
            {
                throw new ModelFileException(Path.GetFullPath(path), "the checkpoint's progress is not valid JSON.", e);
            }

            if (state is null || !BlobNames.All(extras.Blobs.ContainsKey))
            {
                throw new ModelFileException(Path.GetFullPath(path), "the checkpoint's progress, optimiser state or random generator states are missing.");
            }

            if (state.Fingerprint != fingerprint)
            {
                throw new InvalidOperationException(
                    $"The checkpoint '{Path.GetFullPath(path)}' belongs to another run (other data, model or options): it was written for [{state.Fingerprint}], this run is [{fingerprint}]. " +
                    "Delete it, or point CheckpointPath elsewhere, to start afresh.");
            }

            if (!saved.Spec.Equals(model.Spec))
            {
                throw new InvalidOperationException($"The checkpoint '{Path.GetFullPath(path)}' holds a different model: {saved.Spec.ToJson()}.");
            }

            using (torch.no_grad())
            {
                var target = model.state_dict();
                foreach (var (name, tensor) in saved.state_dict())
                {
                    target[name].copy_(tensor);
                }
            }

            try
            {
                using var reader = new BinaryReader(new MemoryStream(extras.Blobs["optimizer"]));
                ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(reader);
            }
            catch (Exception e) when (e is ArgumentException or IOException or FormatException or OverflowException or InvalidOperationException)
            {
                // IOException covers EndOfStreamException: the state is cut short.
                throw new ModelFileException(Path.GetFullPath(path), $"the checkpoint's optimiser state does not fit this run's optimiser: {e.Message}", e);
            }

            SetGenerator(shuffle, extras.Blobs["shuffle_rng"]);
            SetGenerator(noise, extras.Blobs["noise_rng"]);

            Dictionary<string, Tensor>? best = null;
            var bestNames = extras.Blobs.Keys.Where(k => k.StartsWith(BestPrefix, StringComparison.Ordinal)).ToArray();
            if (bestNames.Length > 0)
            {
                best = [];
                foreach (var (name, tensor) in model.state_dict())
                {
                    best[name] = ModelFile.TensorFromBytes(extras.Blobs[BestPrefix + name], tensor.dtype, tensor.shape).DetachFromDisposeScope();
                }
            }

            return (state, best);
        }
    }

    public static string Fingerprint(TrainerOptions options, Autoencoder model, int trainCount, int validationCount) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"spec {model.Spec.ToJson()}; train {trainCount}; validation {validationCount}; epochs {options.Epochs}; batch {options.BatchSize}; lr {options.LearningRate:R}; " +
            $"{options.Optimizer} decay {options.WeightDecay:R} momentum {options.Momentum:R}; schedule {options.Schedule}; fraction {options.ValidationFraction:R}; " +
            $"patience {options.Patience}; delta {options.MinDelta:R}; restore {options.RestoreBestWeights}; clip {options.GradientClipNorm}; shuffle {options.Shuffle}; seed {options.Seed}");

    private static byte[] OptimizerBytes(optim.Optimizer optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(writer);
        }

        return stream.ToArray();
    }

    private static byte[] GeneratorBytes(Generator generator)
    {
        using var state = generator.get_state();
        return state.bytes.ToArray();
    }

    private static void SetGenerator(Generator generator, byte[] bytes)
    {
        using var state = generator.get_state();
        if (state.numel() * state.ElementSize != bytes.Length)
        {
            throw new InvalidDataException("The checkpoint's random generator state has the wrong size.");
        }

        using var restored = torch.tensor(bytes, dtype: ScalarType.Byte);
        generator.set_state(restored);
    }
}
