using System.Globalization;
using System.Text.Json.Nodes;

namespace Autoencoders.Benchmarks;

/// <summary>The fields every benchmark's JSON summary records about the run itself.</summary>
internal static class RunRecord
{
    /// <summary>Adds machine, load averages, busy flag, commit, date and duration to <paramref name="json"/>.</summary>
    public static JsonObject With(
        this JsonObject json,
        MachineInfo machine,
        IReadOnlyList<(string When, double Load)> loads,
        string? commit,
        DateTimeOffset started,
        DateTimeOffset finished)
    {
        json["machine"] = machine.ToJson();
        json["load_average"] = new JsonObject(loads.Select(l => KeyValuePair.Create<string, JsonNode?>(l.When, l.Load)));
        json["busy_machine"] = loads.Any(l => l.Load > MachineInfo.BusyLoad);
        json["commit"] = commit;
        json["date"] = started.ToString("O", CultureInfo.InvariantCulture);
        json["duration_s"] = (finished - started).TotalSeconds;
        return json;
    }
}
