using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Training;

namespace Autoencoders.Benchmarks;

/// <summary>How one B2/B3 network was trained: what the report needs besides the network itself.</summary>
/// <param name="Model">The family key ("dense_ae", "conv_ae", "vae").</param>
/// <param name="Latent">The latent size.</param>
/// <param name="Fingerprint">The spec and every training setting; a saved network is reused only when it matches.</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="TrainSeconds">Wall time of <c>Trainer.Fit</c>.</param>
/// <param name="FinalTrainLoss">The last epoch's mean training loss per image.</param>
/// <param name="FinalValidationLoss">The last epoch's validation loss per image.</param>
/// <param name="MedianSamplesPerSecond">The median of the epochs' training throughput.</param>
/// <param name="Warnings">Failure-mode warnings raised during training.</param>
/// <param name="Commit">The commit the network was trained at.</param>
/// <param name="Finished">When training finished.</param>
/// <param name="MeanLoad">The mean of the 1-minute load averages sampled after every epoch.</param>
internal sealed record B2TrainingRecord(
    string Model,
    int Latent,
    string Fingerprint,
    int Epochs,
    double TrainSeconds,
    double FinalTrainLoss,
    double? FinalValidationLoss,
    double MedianSamplesPerSecond,
    IReadOnlyList<string> Warnings,
    string? Commit,
    DateTimeOffset Finished,
    double MeanLoad);

/// <summary>
/// The trained B2/B3 networks, kept outside git under benchmarks/artifacts/ so that metrics can be
/// (re)computed later without retraining: per network a model file and a JSON training record.
/// </summary>
internal sealed class B2Artifacts(string folder)
{
    private const string SpecKey = "spec";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Folder { get; } = folder;

    /// <summary>
    /// <paramref name="folder"/> if given, else benchmarks/artifacts/b2 (quick runs: b2-quick) under the
    /// repository (under the current folder outside it).
    /// </summary>
    public static B2Artifacts For(bool quick, string? folder)
    {
        var root = RepositoryInfo.FindRoot() ?? Directory.GetCurrentDirectory();
        return new B2Artifacts(Path.GetFullPath(folder ?? Path.Combine(root, "benchmarks", "artifacts", quick ? "b2-quick" : "b2")));
    }

    /// <summary>The spec and the settings that make two trainings of one network the same run.</summary>
    public static string Fingerprint(B2Family family, int latent, B2Settings settings, TrainerOptions training) =>
        new JsonObject
        {
            [SpecKey] = JsonNode.Parse(family.Build(latent).ToJson()),
            ["train_images"] = settings.TrainCount,
            ["epochs"] = training.Epochs,
            ["batch"] = training.BatchSize,
            ["learning_rate"] = training.LearningRate,
            ["schedule"] = training.Schedule.ToString(),
            ["seed"] = training.Seed,
        }.ToJsonString();

    /// <summary>
    /// Whether a saved network was trained as <paramref name="expected"/> (a <see cref="Fingerprint"/>) says.
    /// The specs are compared as specs, read by the current library, so that a spec field added later
    /// with a default does not orphan the networks saved before it.
    /// </summary>
    public static bool Matches(string saved, string expected)
    {
        var savedNode = JsonNode.Parse(saved)!.AsObject();
        var expectedNode = JsonNode.Parse(expected)!.AsObject();
        AutoencoderSpec savedSpec;
        try
        {
            savedSpec = AutoencoderSpec.FromJson(savedNode[SpecKey]!.ToJsonString());
        }
        catch (ArgumentException)
        {
            return false;
        }

        var expectedSpec = AutoencoderSpec.FromJson(expectedNode[SpecKey]!.ToJsonString());
        savedNode.Remove(SpecKey);
        expectedNode.Remove(SpecKey);
        return savedSpec.Equals(expectedSpec) && JsonNode.DeepEquals(savedNode, expectedNode);
    }

    public string ModelPath(string model, int latent) => Path.Combine(Folder, $"{model}-k{latent}.aemodel");

    public string RecordPath(string model, int latent) => Path.Combine(Folder, $"{model}-k{latent}.json");

    /// <summary>The saved record of a network, or null when it or its model file is missing.</summary>
    public B2TrainingRecord? Read(string model, int latent)
    {
        var recordPath = RecordPath(model, latent);
        return File.Exists(recordPath) && File.Exists(ModelPath(model, latent))
            ? JsonSerializer.Deserialize<B2TrainingRecord>(File.ReadAllText(recordPath))
            : null;
    }

    /// <summary>Saves the network, then its record (written last, through a temporary file: a record means a complete pair).</summary>
    public void Write(Autoencoder network, B2TrainingRecord record)
    {
        Directory.CreateDirectory(Folder);
        var recordPath = RecordPath(record.Model, record.Latent);
        File.Delete(recordPath);
        network.Save(ModelPath(record.Model, record.Latent));
        var temporary = recordPath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(record, Indented) + "\n");
        File.Move(temporary, recordPath, overwrite: true);
    }
}
