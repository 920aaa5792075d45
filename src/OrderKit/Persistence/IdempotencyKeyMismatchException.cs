namespace OrderKit.Persistence;

/// <summary>An idempotency key was sent again with a different request; nothing was done.</summary>
/// <remarks>
/// <para>A key stands for one request: a retry must send the same request. A different request under a used key is
/// almost always a client defect (a key reused across checkouts), so OrderKit refuses it rather than guess. In HTTP
/// terms this is a 422.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed class IdempotencyKeyMismatchException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The command, such as <c>place-order</c>.</param>
    /// <param name="key">The idempotency key.</param>
    /// <param name="firstResult">What the first request with this key produced, such as an order identifier.</param>
    public IdempotencyKeyMismatchException(string operation, string key, string firstResult)
        : base($"The idempotency key \"{key}\" was first used for a different {operation} request (which produced {firstResult}); send a new key for a new request.", "idempotencyKey")
    {
        Operation = operation;
        Key = key;
        FirstResult = firstResult;
    }

    /// <summary>Gets the command.</summary>
    public string Operation { get; }

    /// <summary>Gets the idempotency key.</summary>
    public string Key { get; }

    /// <summary>Gets what the first request with this key produced.</summary>
    public string FirstResult { get; }
}
