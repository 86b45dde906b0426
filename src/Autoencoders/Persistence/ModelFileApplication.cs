namespace Autoencoders.Persistence;

/// <summary>
/// What an application built on a model (an anomaly detector, a reducer, a training checkpoint) stores
/// about itself in the model file: its kind and its own fields, as strings.
/// </summary>
/// <example>
/// <code>
/// var info = ModelFileInfo.Read("detector.aemodel");
/// if (info.Application is { Kind: "anomaly-detector" } detector)
/// {
///     Console.WriteLine(detector.Fields["threshold"]);
/// }
/// </code>
/// </example>
/// <param name="Kind">The application's name, e.g. <c>anomaly-detector</c>, <c>reducer</c> or <c>training-checkpoint</c>.</param>
/// <param name="Fields">The application's own values by name (never the kind itself).</param>
public sealed record ModelFileApplication(string Kind, IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>An application with no fields of its own.</summary>
    public ModelFileApplication(string kind)
        : this(kind, new Dictionary<string, string>())
    {
    }
}
