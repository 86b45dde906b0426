using static TorchSharp.torch;

namespace Autoencoders.Training;

/// <summary>
/// The built-in callback behind <see cref="TrainerOptions.RestoreBestWeights"/>: with validation data,
/// keeps a copy of the weights of the best epoch and puts them back at the end of the run.
/// </summary>
internal sealed class BestWeightsRestore : TrainingCallback
{
    public override void OnEpochEnd(TrainingContext context, EpochReport report)
    {
        if (report.IsBest && report.ValidationLoss is not null)
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope(); // holds the detached views until their copies are made
            context.ReplaceBestWeights(context.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope()));
        }
    }

    public override void OnTrainEnd(TrainingContext context)
    {
        if (context.BestWeights is { } best && context.State.BestEpoch != context.State.Reports.Count)
        {
            using var noGrad = no_grad();
            foreach (var (name, tensor) in context.Model.state_dict())
            {
                tensor.copy_(best[name]);
            }

            context.RestoredBestWeights = true;
        }
    }
}
