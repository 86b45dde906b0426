using System.Text.Json.Nodes;

namespace Autoencoders.Benchmarks;

/// <summary>What a benchmark produced: a JSON summary and the same content as Markdown.</summary>
/// <param name="MarkdownFileName">The file name under benchmarks/results/, e.g. "B1-2026-01-31.md".</param>
/// <param name="Json">The summary written to <c>--out</c>.</param>
/// <param name="Markdown">The report written to benchmarks/results/.</param>
internal sealed record BenchmarkReport(string MarkdownFileName, JsonObject Json, string Markdown);
