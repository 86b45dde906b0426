using Autoencoders.Data;
using Autoencoders.Model;
using TorchSharp;

namespace Autoencoders.Training;

/// <summary>
/// The built-in NaN/∞ guard: stops training with a <see cref="TrainingDivergedException"/> as soon as a
/// batch's loss term, or their sum, is not finite, before that batch's update reaches the weights. It
/// looks only at the values the trainer reads back anyway, so it adds no work to the step.
/// </summary>
internal sealed class DivergenceGuard : TrainingCallback
{
    public override void OnBatchLoss(TrainingContext context, BatchLoss batch)
    {
        var terms = batch.Terms;
        for (var i = 0; i < terms.Count; i++)
        {
            if (!float.IsFinite(terms[i].Value))
            {
                throw Diverged(context, batch);
            }
        }

        if (!float.IsFinite(batch.Loss))
        {
            throw Diverged(context, batch);
        }
    }

    private static TrainingDivergedException Diverged(TrainingContext context, BatchLoss batch)
    {
        var terms = batch.Terms;
        var term = terms.FirstOrDefault(v => !float.IsFinite(v.Value)).Key ?? LossTerms.Reconstruction;
        var largest = LargestMagnitude(context.Model, context.Train);
        var rate = context.LearningRate;
        var cause = largest > 1e3
            ? $"The (scaled) training data reaches |x| = {largest:g3}: fit a StandardScaler or MinMaxScaler on the training data and set model.Scaler before training."
            : $"The training data is scaled (|x| ≤ {largest:g3}), so the learning rate ({rate:g3}) is the likely cause: lower it (1e-3 suits Adam), or set GradientClipNorm.";
        return new TrainingDivergedException(
            $"The loss became non-finite at epoch {batch.Epoch}, batch {batch.Batch}: term '{term}' is {terms.First(v => v.Key == term).Value}. {cause}",
            batch.Epoch,
            batch.Batch,
            term);
    }

    /// <summary>The largest |x| of the training data as the model sees it (scaled); reads a stream once more.</summary>
    private static float LargestMagnitude(Autoencoder model, DataSource data)
    {
        var largest = 0f;
        var inputShape = model.InputShape.Select(d => (long)d).ToArray();
        foreach (var batch in data.InOrder(4096))
        {
            using var scope = torch.NewDisposeScope();
            using var raw = batch;
            largest = Math.Max(largest, Trainer.ModelBatch(model, raw, inputShape).abs().max().item<float>());
        }

        return largest;
    }
}
