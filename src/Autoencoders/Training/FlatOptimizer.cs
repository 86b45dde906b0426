using Autoencoders.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Training;

/// <summary>
/// The trainer's optimiser: TorchSharp's Adam, AdamW or SGD arithmetic, run as a handful of kernels over
/// all parameters at once (<see cref="FlatParameters"/>) instead of a handful per parameter.
/// </summary>
/// <remarks>
/// <para>Each update is TorchSharp's, operation for operation and with the same scalars, applied to the
/// concatenation of the parameters: the kernels involved are elementwise and round every element the same
/// way whatever the tensor's length, so the weights come out bit-identical to TorchSharp's per-parameter
/// step (the recorded runs check it).</para>
/// <para>The TorchSharp optimiser stays the owner of the learning rate and of the state a checkpoint
/// saves: its per-parameter moment (or momentum) tensors are views of this optimiser's buffers, so its
/// own serialisation (<c>OptimizerStateBlob</c>, TorchSharp's layout) writes and reads them unchanged.
/// Whatever the flat form cannot express exactly (AMSGrad, maximize, parameters of mixed types, a parameter
/// without a gradient, per-parameter step counts that differ) runs TorchSharp's own step instead.</para>
/// </remarks>
internal sealed class FlatOptimizer : IDisposable
{
    private readonly optim.Optimizer inner;
    private readonly OptimizerKind kind;
    private readonly bool fused;
    private readonly FlatParameters? flat;
    private Tensor? first;
    private Tensor? second;

    /// <summary>The views of the buffers handed to the TorchSharp optimiser's state.</summary>
    private readonly HashSet<Tensor> bound = new(ReferenceEqualityComparer.Instance);

    private FlatOptimizer(optim.Optimizer inner, OptimizerKind kind, FlatParameters? flat, bool fused)
    {
        this.inner = inner;
        this.fused = fused;
        this.kind = kind;
        this.flat = flat;
    }

    /// <summary>The TorchSharp optimiser that holds the learning rate and the state a checkpoint saves.</summary>
    public optim.Optimizer State => inner;

    /// <summary>Creates the optimiser <paramref name="options"/> ask for over <paramref name="parameters"/>.</summary>
    public static FlatOptimizer Create(TrainerOptions options, Parameter[] parameters)
    {
        optim.Optimizer inner = options.Optimizer switch
        {
            OptimizerKind.Adam => optim.Adam(parameters, options.LearningRate, beta1: 0.9, beta2: 0.999, weight_decay: options.WeightDecay),
            OptimizerKind.AdamW => optim.AdamW(parameters, options.LearningRate, beta1: 0.9, beta2: 0.999, weight_decay: options.WeightDecay),
            OptimizerKind.Sgd => optim.SGD(parameters, options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "Unknown optimizer."),
        };

        var flat = FlatParameters.TryCreate(parameters);
        var fused = options.FusedOptimizer && options.Optimizer != OptimizerKind.Sgd && FusedAdam.IsAvailable
            && flat is not null && flat.Values.dtype == ScalarType.Float32 && flat.Values.device_type == DeviceType.CPU;
        var optimizer = new FlatOptimizer(inner, options.Optimizer, flat, fused);
        optimizer.StateLoaded();
        return optimizer;
    }

    /// <summary>Zeroes the gradients.</summary>
    public void ZeroGrad()
    {
        if (flat is null)
        {
            inner.zero_grad();
        }
        else
        {
            flat.ZeroGradients();
        }
    }

    /// <summary>One update of every parameter from its gradient.</summary>
    public void Step()
    {
        if (flat is null || !flat.TryBindGradients() || !CanStepFlat())
        {
            inner.step();
            StateLoaded();
            return;
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var group = (ParamGroup)inner.ParamGroups.First();
        switch (kind)
        {
            case OptimizerKind.Adam or OptimizerKind.AdamW:
                StepAdam(AdamSettings.Of(group.Options), decoupled: kind == OptimizerKind.AdamW);
                break;
            default:
                StepSgd((SGD.Options)group.Options);
                break;
        }
    }

    /// <summary>
    /// Makes the TorchSharp optimiser's state tensors views of this optimiser's buffers again, after
    /// TorchSharp created or replaced them (a checkpoint's state loaded, or a step run by TorchSharp).
    /// </summary>
    public void StateLoaded()
    {
        if (flat is null)
        {
            return;
        }

        var states = ((OptimizerHelper)inner).state_dict().State;
        using var noGrad = torch.no_grad();
        switch (kind)
        {
            case OptimizerKind.Adam or OptimizerKind.AdamW:
                first ??= torch.zeros_like(flat.Values).DetachFromDisposeScope();
                second ??= torch.zeros_like(flat.Values).DetachFromDisposeScope();
                for (var i = 0; i < states.Count; i++)
                {
                    var (exp_avg, exp_avg_sq) = AdamSettings.Moments(states[i]);
                    AdamSettings.SetMoments(states[i], Rebind(exp_avg, first, i), Rebind(exp_avg_sq, second, i));
                }

                break;
            default:
                // SGD creates its momentum buffers at the first step: bind them once they exist (here, or in a loaded state).
                var present = states.Count(s => ((SGD.State)s).momentum_buffer is not null);
                if (present == states.Count || (present == 0 && first is not null))
                {
                    first ??= torch.zeros_like(flat.Values).DetachFromDisposeScope();
                    for (var i = 0; i < states.Count; i++)
                    {
                        var state = (SGD.State)states[i];
                        state.momentum_buffer = Rebind(state.momentum_buffer, first, i);
                    }
                }
                else if (present == 0)
                {
                    first?.Dispose();
                    first = null;
                }

                break;
        }
    }

    public void Dispose()
    {
        // The state tensors are views of the buffers; the TorchSharp optimiser disposes the views.
        inner.Dispose();
        first?.Dispose();
        second?.Dispose();
        flat?.Dispose();
    }

    /// <summary>Whether every parameter's state is in the form the flat update reproduces exactly.</summary>
    private bool CanStepFlat()
    {
        var group = (ParamGroup)inner.ParamGroups.First();
        var states = ((OptimizerHelper)inner).state_dict().State;
        switch (kind)
        {
            case OptimizerKind.Adam or OptimizerKind.AdamW:
                var options = AdamSettings.Of(group.Options);
                if (options.Amsgrad || options.Maximize)
                {
                    return false;
                }

                var step = AdamSettings.Step(states[0]);
                return states.All(s => AdamSettings.Step(s) == step);
            default:
                var sgd = (SGD.Options)group.Options;
                var present = states.Count(s => ((SGD.State)s).momentum_buffer is not null);
                return sgd.maximize != true && (present == 0 || (present == states.Count && first is not null));
        }
    }

    private void StepAdam(AdamSettings options, bool decoupled)
    {
        var (beta1, beta2, weightDecay, eps, lr) = (options.Beta1, options.Beta2, options.WeightDecay, options.Eps, options.LearningRate);
        var states = ((OptimizerHelper)inner).state_dict().State;
        foreach (var state in states)
        {
            AdamSettings.SetStep(state, AdamSettings.Step(state) + 1);
        }

        var parameters = flat!.Values;
        var grad = flat.Gradients!;
        var step = AdamSettings.Step(states[0]);
        if (fused)
        {
            using var stepNumber = torch.tensor((float)step);
            FusedAdam.Step(parameters, grad, first!, second!, stepNumber, lr, beta1, beta2, weightDecay, eps, decoupled);
            return;
        }

        if (decoupled)
        {
            parameters.mul_(1.0 - (lr * weightDecay));
        }

        var biasCorrection1 = 1.0 - Math.Pow(beta1, step);
        var biasCorrection2 = 1.0 - Math.Pow(beta2, step);
        if (!decoupled && weightDecay != 0.0)
        {
            grad = grad.add(parameters, weightDecay);
        }

        first!.mul_(beta1).add_(grad, 1.0 - beta1);
        second!.mul_(beta2).addcmul_(grad, grad, 1.0 - beta2);
        var denominator = second.sqrt().div_(Math.Sqrt(biasCorrection2)).add_(eps); // in place on sqrt's result: the same values as TorchSharp's (sqrt / c).add_(ε), one buffer fewer
        parameters.addcdiv_(first, denominator, -(lr / biasCorrection1));
    }

    private void StepSgd(SGD.Options options)
    {
        var (momentum, dampening, weightDecay, nesterov, lr) = (options.momentum!.Value, options.dampening!.Value, options.weight_decay!.Value, options.nesterov == true, options.LearningRate!.Value);
        var parameters = flat!.Values;
        var grad = flat.Gradients!;
        if (weightDecay != 0.0)
        {
            grad = grad.add(parameters, weightDecay);
        }

        if (momentum != 0.0)
        {
            if (first is null)
            {
                first = grad.clone().detach().DetachFromDisposeScope();
                StateLoaded();
            }
            else
            {
                first.mul_(momentum).add_(grad, 1.0 - dampening);
            }

            grad = nesterov ? grad.add(first, momentum) : first;
        }

        parameters.add_(grad, -lr);
    }

    /// <summary>Copies a state tensor TorchSharp made into slice <paramref name="index"/> of <paramref name="buffer"/> and returns the slice in its place.</summary>
    private Tensor Rebind(Tensor? current, Tensor buffer, int index)
    {
        if (current is not null && bound.Contains(current))
        {
            return current;
        }

        var slice = flat!.Slice(buffer, index).DetachFromDisposeScope();
        if (current is not null)
        {
            slice.copy_(current);
            current.Dispose();
        }

        bound.Add(slice);
        return slice;
    }

    /// <summary>The options and per-parameter state of TorchSharp's Adam and AdamW, which are separate types with the same fields.</summary>
    private readonly record struct AdamSettings(double Beta1, double Beta2, double Eps, double WeightDecay, double LearningRate, bool Amsgrad, bool Maximize)
    {
        public static AdamSettings Of(OptimizerOptions options) => options switch
        {
            Adam.Options a => new(a.beta1!.Value, a.beta2!.Value, a.eps!.Value, a.weight_decay!.Value, a.LearningRate!.Value, a.amsgrad == true, a.maximize == true),
            AdamW.Options w => new(w.beta1!.Value, w.beta2!.Value, w.eps!.Value, w.weight_decay!.Value, w.LearningRate!.Value, w.amsgrad == true, w.maximize == true),
            _ => throw new InvalidOperationException($"Not Adam's or AdamW's options: {options.GetType().Name}."),
        };

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
            }
        }

        public static (Tensor? ExpAvg, Tensor? ExpAvgSq) Moments(OptimizerState state) => state switch
        {
            Adam.State a => (a.exp_avg, a.exp_avg_sq),
            AdamW.State w => (w.exp_avg, w.exp_avg_sq),
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
            }
        }
    }
}
