using System.Text.Json;

namespace Autoencoders.Evaluation;

/// <summary>NAB's JSON files (profiles, windows, thresholds) are each one object keyed by name.</summary>
internal static class NabJson
{
    /// <summary>Parses text that must be a JSON object; the caller disposes the document.</summary>
    /// <param name="json">The text.</param>
    /// <param name="source">What the text is, for messages (e.g. <c>NAB windows file 'x.json'</c>).</param>
    /// <param name="shape">What the object must map, for messages (e.g. <c>file paths to lists of [start, end] pairs</c>).</param>
    public static JsonDocument ParseObject(string json, string source, string shape)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The {source} is not valid JSON: {e.Message}", e);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new InvalidDataException($"The {source} must be a JSON object mapping {shape}.");
        }

        return document;
    }
}
