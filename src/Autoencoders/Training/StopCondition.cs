namespace Autoencoders.Training;

/// <summary>
/// A callback that ends training after the first epoch whose report meets a condition, e.g. a target
/// loss or a time budget. The run ends as an early stop: the best weights are restored when kept.
/// </summary>
/// <example>
/// <code>
/// var budget = Stopwatch.StartNew();
/// trainer.Fit(model, train, callbacks:
/// [
///     new StopCondition(r =&gt; r.ValidationLoss &lt; 0.05, "validation loss below 0.05"),
///     new StopCondition(_ =&gt; budget.Elapsed &gt; TimeSpan.FromMinutes(10), "ten minutes"),
/// ]);
/// </code>
/// </example>
public sealed class StopCondition : TrainingCallback
{
    private readonly Func<EpochReport, bool> condition;
    private readonly string? reason;

    /// <summary>Creates the callback.</summary>
    /// <param name="condition">Evaluated on each epoch's report; true ends the run after that epoch.</param>
    /// <param name="reason">Why, in words, for <see cref="TrainingHistory.StopReason"/>; a generic text when null.</param>
    public StopCondition(Func<EpochReport, bool> condition, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        this.condition = condition;
        this.reason = reason;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        if (condition(report))
        {
            context.RequestStop(reason ?? $"a stop condition held at epoch {report.Epoch}");
        }
    }
}
