using NodaTime;

namespace OrderKit.Persistence;

/// <summary>The remembered outcome of a command sent with an idempotency key.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="Operation">The command, such as <c>place-order</c>.</param>
/// <param name="Key">The idempotency key the caller sent; at most 255 characters.</param>
/// <param name="RequestHash">A fingerprint of the request, to tell a retry from a different request under the same key.</param>
/// <param name="Result">The outcome to replay, such as the identifier of the order placed.</param>
/// <param name="CreatedAt">When the command ran.</param>
/// <param name="ExpiresAt">When the record stops counting and the key may be used again.</param>
public sealed record IdempotencyRecord(string Operation, string Key, string RequestHash, string Result, Instant CreatedAt, Instant ExpiresAt);
