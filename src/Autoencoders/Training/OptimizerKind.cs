namespace Autoencoders.Training;

/// <summary>The optimisation algorithm the trainer uses.</summary>
public enum OptimizerKind
{
    /// <summary>Adam (β1 = 0.9, β2 = 0.999); weight decay is added to the gradient (coupled L2).</summary>
    Adam,
    /// <summary>AdamW: Adam with decoupled weight decay.</summary>
    AdamW,
    /// <summary>Stochastic gradient descent with <see cref="TrainerOptions.Momentum"/>.</summary>
    Sgd,
}
