namespace OrderKit.Testing;

/// <summary>A store broke OrderKit's contract in a conformance check; the message says which rule and what was seen.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed class ConformanceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="check">The check that failed.</param>
    /// <param name="detail">What was expected and what was seen.</param>
    /// <param name="innerException">The exception the store threw, if that was the failure.</param>
    public ConformanceException(string check, string detail, Exception? innerException = null)
        : base($"{check}: {detail}", innerException)
    {
        ArgumentNullException.ThrowIfNull(check);
        Check = check;
    }

    /// <summary>Gets the name of the check that failed.</summary>
    public string Check { get; }
}
