namespace Autoencoders.Evaluation;

/// <summary>One file's part of a NAB corpus score, at one threshold under one profile.</summary>
/// <param name="Name">The file's name in the corpus.</param>
/// <param name="RawScore">The file's raw NAB score: what its detected windows earn, minus what its false positives
/// and missed windows cost.</param>
/// <param name="DetectedWindows">Scored windows with at least one detection.</param>
/// <param name="MissedWindows">Scored windows without any detection.</param>
/// <param name="FalsePositives">Detections after the probationary period outside every window.</param>
public sealed record NabFileScore(string Name, double RawScore, int DetectedWindows, int MissedWindows, int FalsePositives);
