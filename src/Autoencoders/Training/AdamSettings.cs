using TorchSharp.Modules;

namespace Autoencoders.Training;

/// <summary>The options of TorchSharp's Adam and AdamW, which are separate types with the same fields.</summary>
internal readonly record struct AdamSettings(double Beta1, double Beta2, double Eps, double WeightDecay, double LearningRate, bool Amsgrad, bool Maximize)
{
    /// <summary>The settings of a parameter group of Adam or AdamW.</summary>
    public static AdamSettings Of(OptimizerOptions options) => options switch
    {
        Adam.Options a => new(a.beta1!.Value, a.beta2!.Value, a.eps!.Value, a.weight_decay!.Value, a.LearningRate!.Value, a.amsgrad == true, a.maximize == true),
        AdamW.Options w => new(w.beta1!.Value, w.beta2!.Value, w.eps!.Value, w.weight_decay!.Value, w.LearningRate!.Value, w.amsgrad == true, w.maximize == true),
        _ => throw new InvalidOperationException($"Not Adam's or AdamW's options: {options.GetType().Name}."),
    };
}
