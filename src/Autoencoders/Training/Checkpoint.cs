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
/// resumed run continues bit for bit where the interrupted one stopped. The file's layout and the
/// checks on what is read back belong to <c>Persistence</c>.
/// </summary>
/// <remarks>
/// Tensors are stored as CPU bytes, so a run checkpointed on one device resumes on another (the model's
/// device when training restarts). The noise generator's state is the one exception: a CUDA generator's
/// state does not fit a CPU one, so across device types the noise stream restarts from the run's seed
/// and the epoch, with a warning in the history; on the same kind of device it resumes bit for bit.
/// </remarks>
internal static class Checkpoint
{
    private const string Kind = "training-checkpoint";
    private const string NoiseDeviceField = "noise_device";
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
            ["optimizer"] = OptimizerStateBlob.Of(optimizer),
            ["shuffle_rng"] = GeneratorStateBlob.Of(shuffle),
            ["noise_rng"] = GeneratorStateBlob.Of(noise),
        };
        foreach (var (name, bytes) in StateBlobs.Of(BestPrefix, bestWeights ?? new Dictionary<string, Tensor>()))
        {
            blobs[name] = bytes;
        }

        var application = new ModelFileApplication(Kind, new Dictionary<string, string>
        {
            ["state"] = JsonSerializer.Serialize(state, Json),
            [NoiseDeviceField] = DeviceTypeName(noise),
        });
        ModelFile.Write(path, new ModelFileContents(model) { Application = application, Blobs = blobs });
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
        var fullPath = Path.GetFullPath(path);
        var contents = ModelFile.Read(path);
        using var saved = contents.Model;
        var fields = contents.FieldsOf(path, Kind, "a training checkpoint");
        if (!fields.TryGetValue("state", out var json))
        {
            throw new ModelFileException(fullPath, "the checkpoint's progress is missing.");
        }

        TrainingProgressState? state;
        try
        {
            state = JsonSerializer.Deserialize<TrainingProgressState>(json, Json);
        }
        catch (JsonException e)
        {
            throw new ModelFileException(fullPath, "the checkpoint's progress is not valid JSON.", e);
        }

        if (state is null || !BlobNames.All(contents.Blobs.ContainsKey))
        {
            throw new ModelFileException(fullPath, "the checkpoint's progress, optimiser state or random generator states are missing.");
        }

        if (state.Fingerprint != fingerprint)
        {
            throw new InvalidOperationException(
                $"The checkpoint '{fullPath}' belongs to another run (other data, model or options): it was written for [{state.Fingerprint}], this run is [{fingerprint}]. " +
                "Delete it, or point CheckpointPath elsewhere, to start afresh.");
        }

        if (!saved.Spec.Equals(model.Spec))
        {
            throw new InvalidOperationException($"The checkpoint '{fullPath}' holds a different model: {saved.Spec.ToJson()}.");
        }

        var best = StateBlobs.Read(path, BestPrefix, contents.Blobs, model);
        OptimizerStateBlob.Restore(fullPath, contents.Blobs["optimizer"], optimizer);
        GeneratorStateBlob.Restore(fullPath, "shuffle_rng", contents.Blobs["shuffle_rng"], shuffle);
        // A checkpoint without the field was written before models had a device: on the CPU.
        var savedNoiseDevice = fields.GetValueOrDefault(NoiseDeviceField, "cpu");
        if (savedNoiseDevice == DeviceTypeName(noise))
        {
            GeneratorStateBlob.Restore(fullPath, "noise_rng", contents.Blobs["noise_rng"], noise);
        }
        else
        {
            noise.manual_seed(unchecked(noise.initial_seed() + state.CompletedEpochs));
            if (model.DrawsNoise)
            {
                state.Warnings.Add(
                    $"The checkpoint was written by a run on {Described(savedNoiseDevice)} and resumes on {Described(DeviceTypeName(noise))}: weights, optimiser state and data order carry over, " +
                    "but the noise generator's state does not fit the other kind of device, so corruption and sampling noise restart from the run's seed and epoch. " +
                    "The result differs from the one an uninterrupted run would give.");
            }
        }

        using (torch.no_grad())
        {
            var target = model.state_dict();
            foreach (var (name, tensor) in saved.state_dict())
            {
                target[name].copy_(tensor);
            }
        }

        return (state, best);
    }

    /// <summary>The kind of device a generator draws on, as the checkpoint names it: "cpu" or "cuda".</summary>
    private static string DeviceTypeName(Generator generator) => generator.device.type.ToString().ToLowerInvariant();

    private static string Described(string deviceType) => deviceType == "cpu" ? "the CPU" : $"a {deviceType.ToUpperInvariant()} device";

    /// <summary>
    /// What identifies a run: the spec, the options, and the number of training and validation samples as
    /// their sources declare them ("streamed" for a stream that declares none).
    /// </summary>
    public static string Fingerprint(TrainerOptions options, Autoencoder model, long? trainCount, long? validationCount) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"spec {model.Spec.ToJson()}; train {Count(trainCount)}; validation {Count(validationCount)}; epochs {options.Epochs}; batch {options.BatchSize}; lr {options.LearningRate:R}; " +
            $"{options.Optimizer} decay {options.WeightDecay:R} momentum {options.Momentum:R}; schedule {options.Schedule}; fraction {options.ValidationFraction:R}; " +
            $"patience {options.Patience}; delta {options.MinDelta:R}; restore {options.RestoreBestWeights}; clip {options.GradientClipNorm}; shuffle {options.Shuffle}; seed {options.Seed}");

    private static string Count(long? count) => count?.ToString(CultureInfo.InvariantCulture) ?? "streamed";
}
