namespace OrderKit.Persistence;

/// <summary>Something a store holds cannot be read back: a corrupt document, a row that breaks OrderKit's rules, or a database that is not OrderKit's.</summary>
/// <remarks>
/// <para>Stores throw it instead of returning data they cannot vouch for, so a damaged row never turns into a wrong
/// order. Nothing is written when it is thrown; data committed before stays as it was. It is not retried: the data
/// needs a person's attention.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed class StoredDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="resource">What could not be read, such as <c>order ord_1</c> or <c>database orders.db</c>.</param>
    /// <param name="detail">What is wrong with it, in words.</param>
    /// <param name="innerException">The error that revealed it, if any.</param>
    public StoredDataException(string resource, string detail, Exception? innerException = null)
        : base($"{resource} cannot be read: {detail}", innerException)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(detail);
        Resource = resource;
    }

    /// <summary>Gets what could not be read, such as <c>order ord_1</c>.</summary>
    public string Resource { get; }
}
