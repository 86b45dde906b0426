using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Autoencoders.Model;
using Autoencoders.Training;

namespace Autoencoders.Tests.Training;

/// <summary>
/// A training run written out as text that changes when any bit of its results changes: every loss
/// and learning rate as a round-trip ("R") double, which .NET prints with exactly the digits that
/// parse back to the same 64 bits, and the final weights as a SHA-256 of their bytes.
/// </summary>
internal static class RunRecord
{
    public static string Of(TrainingHistory history, Autoencoder model)
    {
        var text = new StringBuilder();
        foreach (var epoch in history.Epochs)
        {
            text.AppendLine(Of(epoch));
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"best {history.BestEpoch} {R(history.BestLoss)} stopped {history.StoppedEarly} restored {history.RestoredBestWeights}");
        foreach (var warning in history.Warnings)
        {
            text.AppendLine("warning " + warning);
        }

        text.Append("weights " + Weights(model));
        return text.ToString();
    }

    public static string Of(EpochReport e) =>
        $"{e.Epoch}/{e.Epochs} lr {R(e.LearningRate)} train {R(e.TrainLoss)}{Terms(e.TrainTerms)}" +
        (e.ValidationLoss is { } v ? $" val {R(v)}{Terms(e.ValidationTerms!)}" : string.Empty) +
        $" best {e.IsBest}{Terms(e.Diagnostics)} warnings {e.Warnings.Count}";

    public static string Of(TrainingDivergedException e, Autoencoder model) =>
        $"{e.Message}{Environment.NewLine}at {e.Epoch}/{e.Batch} {e.Term}{Environment.NewLine}weights {Weights(model)}";

    public static string Weights(Autoencoder model)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, tensor) in model.state_dict())
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData(tensor.contiguous().bytes);
        }

        return Convert.ToHexString(hash.GetHashAndReset())[..16];
    }

    private static string Terms(IReadOnlyDictionary<string, double> terms) =>
        string.Concat(terms.Select(t => $" {t.Key}={R(t.Value)}"));

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
