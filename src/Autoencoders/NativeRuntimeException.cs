namespace Autoencoders;

/// <summary>
/// Thrown when TorchSharp's native runtime cannot be loaded. The message names the real cause (as reported by
/// the dynamic loader where available) and what to do about it; the original TorchSharp exception, if any, is
/// the <see cref="Exception.InnerException"/>.
/// </summary>
/// <example>
/// <code>
/// try
/// {
///     using var model = spec.Build(seed: 42);
/// }
/// catch (NativeRuntimeException ex)
/// {
///     Console.Error.WriteLine(ex.Message); // e.g. "... version `GLIBCXX_3.4.32' not found ... set AutoencodersNativeFix=always ..."
/// }
/// </code>
/// </example>
public sealed class NativeRuntimeException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public NativeRuntimeException()
        : base("TorchSharp's native runtime could not be loaded.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">What failed and what to do about it.</param>
    public NativeRuntimeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    /// <param name="message">What failed and what to do about it.</param>
    /// <param name="innerException">The original exception, typically thrown by TorchSharp.</param>
    public NativeRuntimeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The libLibTorchSharp.so (or equivalent) that was examined, when one was found.</summary>
    public string? LibraryPath { get; init; }

    /// <summary>The dynamic loader's own error message, when it could be obtained.</summary>
    public string? LoaderMessage { get; init; }
}
