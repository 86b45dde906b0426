namespace Autoencoders.Tests.Support;

/// <summary>
/// Marks a test class that calls TorchSharp's temporary-Scalar-passing members on purpose, as the reference
/// it compares the library with, always through <see cref="TorchSharpReference.Run{T}"/>; the check in
/// <c>Architecture/TemporaryScalarTests.cs</c> passes over it.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class ComparesWithTorchSharpAttribute : Attribute;
