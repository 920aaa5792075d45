namespace OrderKit.Persistence;

/// <summary>The store could not run a unit of work just now, for a reason that passes: a busy database, a serialization failure, a deadlock victim. Nothing of the unit of work was applied.</summary>
/// <remarks>
/// <para>Stores throw it, wrapping the driver's error, only when they know that nothing was applied. OrderKit's
/// services retry the whole command after a short, growing pause, up to
/// <see cref="OrderKitOptions.MaxConcurrencyRetries"/> times, and then let it through.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed class TransientStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, in words.</param>
    /// <param name="innerException">The driver's error.</param>
    public TransientStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
