namespace OrderKit.Persistence;

/// <summary>Another unit of work changed the same thing first; nothing of this unit of work was applied.</summary>
/// <remarks>
/// <para>Thrown by stores when an order's stored version is not the one a save expected, or when an idempotency key
/// is taken. OrderKit's services retry the whole command a bounded number of times
/// (<see cref="OrderKitOptions.MaxConcurrencyRetries"/>) before letting this exception through.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed class ConcurrencyConflictException : Exception
{
    /// <summary>Creates the exception for an order whose version moved.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="expectedVersion">The version the save expected to find stored (0 for a new order).</param>
    /// <param name="actualVersion">The version found stored, or null when unknown.</param>
    public ConcurrencyConflictException(OrderId orderId, long expectedVersion, long? actualVersion)
        : base($"Order {orderId} was changed by someone else: expected version {expectedVersion} in the store, found {(actualVersion is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "another")}.")
    {
        Resource = $"order {orderId}";
        OrderId = orderId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>Creates the exception for another resource, such as an idempotency key.</summary>
    /// <param name="resource">What was contended, such as <c>idempotency key place-order/abc</c>.</param>
    /// <param name="detail">What happened, in words.</param>
    public ConcurrencyConflictException(string resource, string detail)
        : base($"{resource}: {detail}")
    {
        Resource = resource;
    }

    /// <summary>Gets what was contended, such as <c>order ord_1</c>.</summary>
    public string Resource { get; }

    /// <summary>Gets the order, when an order's version moved.</summary>
    public OrderId? OrderId { get; }

    /// <summary>Gets the version the save expected to find, when an order's version moved.</summary>
    public long? ExpectedVersion { get; }

    /// <summary>Gets the version found stored, when known.</summary>
    public long? ActualVersion { get; }
}
