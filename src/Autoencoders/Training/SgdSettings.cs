using TorchSharp.Modules;

namespace Autoencoders.Training;

/// <summary>The options of TorchSharp's SGD.</summary>
internal readonly record struct SgdSettings(double Momentum, double Dampening, double WeightDecay, bool Nesterov, bool Maximize, double LearningRate)
{
    /// <summary>The settings of a parameter group of SGD.</summary>
    public static SgdSettings Of(SGD.Options options) =>
        new(options.momentum!.Value, options.dampening!.Value, options.weight_decay!.Value, options.nesterov == true, options.maximize == true, options.LearningRate!.Value);
}
