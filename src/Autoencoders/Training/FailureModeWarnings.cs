namespace Autoencoders.Training;

/// <summary>
/// The built-in callback that warns about the failure modes the model can diagnose (an identity map,
/// posterior collapse; see <see cref="Model.Autoencoder.Warnings"/>), each once per run, in the report
/// of the epoch that first shows it.
/// </summary>
internal sealed class FailureModeWarnings : TrainingCallback
{
    internal override IEnumerable<string> Warnings(TrainingContext context, IReadOnlyDictionary<string, double> diagnostics) =>
        context.Model.Warnings(diagnostics);
}
