using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Training;

/// <summary>The per-parameter state of TorchSharp's Adam and AdamW, which are separate types with the same fields.</summary>
internal static class AdamState
{
    public static long Step(OptimizerState state) => state switch
    {
        Adam.State a => a.step,
        AdamW.State w => w.step,
        _ => throw new InvalidOperationException($"Not Adam's or AdamW's state: {state.GetType().Name}."),
    };

    public static void SetStep(OptimizerState state, long step)
    {
        switch (state)
        {
            case Adam.State a:
                a.step = step;
                break;
            case AdamW.State w:
                w.step = step;
                break;
            default:
                throw new InvalidOperationException($"Not Adam's or AdamW's state: {state.GetType().Name}.");
        }
    }

    /// <summary>The first and second moments, and AMSGrad's running maximum of the second (null without AMSGrad).</summary>
    public static (Tensor? ExpAvg, Tensor? ExpAvgSq, Tensor? MaxExpAvgSq) Moments(OptimizerState state) => state switch
    {
        Adam.State a => (a.exp_avg, a.exp_avg_sq, a.max_exp_avg_sq),
        AdamW.State w => (w.exp_avg, w.exp_avg_sq, w.max_exp_avg_sq),
        _ => throw new InvalidOperationException($"Not Adam's or AdamW's state: {state.GetType().Name}."),
    };

    public static void SetMoments(OptimizerState state, Tensor expAvg, Tensor expAvgSq)
    {
        switch (state)
        {
            case Adam.State a:
                (a.exp_avg, a.exp_avg_sq) = (expAvg, expAvgSq);
                break;
            case AdamW.State w:
                (w.exp_avg, w.exp_avg_sq) = (expAvg, expAvgSq);
                break;
            default:
                throw new InvalidOperationException($"Not Adam's or AdamW's state: {state.GetType().Name}.");
        }
    }
}
