using Autoencoders.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Training;

/// <summary>
/// The arithmetic of TorchSharp's Adam, AdamW and SGD <c>step</c>, operation for operation and with the same
/// numbers, on one tensor: a parameter, or <see cref="FlatParameters"/>' buffer of all of them (the kernels
/// are elementwise, so either gives the same bits). TorchSharp's own step passes every hyper-parameter (β₁,
/// 1 − β₁, ε, the step size, …) as a temporary Scalar that the collector may free while libtorch still
/// reads it (see <see cref="TensorMath"/>); here each Scalar is held for its call. Never call TorchSharp's.
/// </summary>
/// <remarks>
/// <see cref="FlatOptimizer"/> is the trainer's one optimiser; it runs these updates over its flat buffers,
/// or, where they cannot hold the parameters (tied weights, a missing gradient, AMSGrad), through
/// <see cref="EachParameter"/>, parameter by parameter as TorchSharp's step would.
/// </remarks>
internal static class OptimizerStep
{
    /// <summary>
    /// Updates every parameter of <paramref name="optimizer"/> that has a gradient, with the optimiser's
    /// own per-parameter state: TorchSharp's step, parameter by parameter (a parameter listed twice is
    /// updated twice, each time with its own state, as TorchSharp does).
    /// </summary>
    /// <exception cref="NotSupportedException"><paramref name="optimizer"/> is not TorchSharp's Adam, AdamW or SGD.</exception>
    public static void EachParameter(optim.Optimizer optimizer)
    {
        if (optimizer is not (TorchSharp.Modules.Adam or AdamW or SGD))
        {
            throw new NotSupportedException($"The trainer steps TorchSharp's Adam, AdamW and SGD; not {optimizer.GetType().Name}.");
        }

        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var states = ((OptimizerHelper)optimizer).state_dict().State;
        var index = 0;
        foreach (var group in optimizer.ParamGroups.Cast<ParamGroup>())
        {
            foreach (var parameter in group.Parameters)
            {
                var state = states[index++];
                if (parameter.grad is not { } grad)
                {
                    continue;
                }

                if (state is SGD.State sgd)
                {
                    var buffer = sgd.momentum_buffer;
                    Sgd(parameter, grad, ref buffer, SgdSettings.Of((SGD.Options)group.Options));
                    sgd.momentum_buffer = buffer;
                }
                else
                {
                    var step = AdamState.Step(state) + 1;
                    AdamState.SetStep(state, step);
                    var (expAvg, expAvgSq, maxExpAvgSq) = AdamState.Moments(state);
                    var settings = AdamSettings.Of(group.Options);
                    Adam(parameter, grad, expAvg!, expAvgSq!, settings.Amsgrad ? maxExpAvgSq : null, step, settings, decoupled: optimizer is AdamW);
                }
            }
        }
    }

    /// <summary>
    /// One Adam (or, when <paramref name="decoupled"/>, AdamW) update of <paramref name="parameters"/> and its
    /// moments in place; <paramref name="step"/> is the step number, already incremented.
    /// <paramref name="maxSecondMoment"/> is AMSGrad's running maximum of the second moment, or null.
    /// </summary>
    public static void Adam(Tensor parameters, Tensor gradients, Tensor firstMoment, Tensor secondMoment, Tensor? maxSecondMoment, long step, AdamSettings options, bool decoupled)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var grad = options.Maximize ? gradients.neg() : gradients;
        if (decoupled)
        {
            parameters.MulInPlace(1.0 - (options.LearningRate * options.WeightDecay));
        }

        var biasCorrection1 = 1.0 - Math.Pow(options.Beta1, step);
        var biasCorrection2 = 1.0 - Math.Pow(options.Beta2, step);
        if (!decoupled && options.WeightDecay != 0.0)
        {
            grad = grad.Add(parameters, options.WeightDecay);
        }

        firstMoment.MulInPlace(options.Beta1).AddInPlace(grad, 1.0 - options.Beta1);
        secondMoment.MulInPlace(options.Beta2).AddcmulInPlace(grad, grad, 1.0 - options.Beta2);
        if (maxSecondMoment is not null)
        {
            // TorchSharp replaces the state with maximum(max, v); the same values, kept in the state's own tensor.
            maxSecondMoment.copy_(torch.maximum(maxSecondMoment, secondMoment));
            secondMoment = maxSecondMoment;
        }

        // In place on sqrt's result: the same values as TorchSharp's (sqrt / c).add_(ε), one buffer fewer.
        var denominator = secondMoment.sqrt().DivInPlace(Math.Sqrt(biasCorrection2)).AddInPlace(options.Eps);
        parameters.AddcdivInPlace(firstMoment, denominator, -(options.LearningRate / biasCorrection1));
    }

    /// <summary>
    /// One SGD update of <paramref name="parameters"/> in place. With momentum, <paramref name="momentumBuffer"/>
    /// is updated in place, or, at the first step (null), created from the gradient, outside any dispose scope.
    /// </summary>
    public static void Sgd(Tensor parameters, Tensor gradients, ref Tensor? momentumBuffer, SgdSettings options)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var grad = gradients;
        if (options.WeightDecay != 0.0)
        {
            grad = grad.Add(parameters, options.WeightDecay);
        }

        if (options.Momentum != 0.0)
        {
            if (momentumBuffer is null)
            {
                momentumBuffer = grad.clone().detach().DetachFromDisposeScope();
            }
            else
            {
                momentumBuffer.MulInPlace(options.Momentum).AddInPlace(grad, 1.0 - options.Dampening);
            }

            grad = options.Nesterov ? grad.Add(momentumBuffer, options.Momentum) : momentumBuffer;
        }

        parameters.AddInPlace(grad, options.Maximize ? options.LearningRate : -options.LearningRate);
    }
}
