using NodaTime;

namespace OrderKit.Returns;

/// <summary>A customer made good without sending anything back: goodwill, or a shipment lost or damaged in transit.</summary>
/// <remarks>
/// <para>Recorded by <see cref="Orders.Order.RecordClaim"/>, usually through <see cref="ReturnService.SettleClaimAsync"/>
/// or <see cref="ReturnService.ReplaceShipmentAsync"/>. Claims are settled when recorded; they have no lifecycle.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed record Claim
{
    /// <summary>Gets the claim's number within its order, starting at 1.</summary>
    public required int Number { get; init; }

    /// <summary>Gets why.</summary>
    public required ClaimKind Kind { get; init; }

    /// <summary>Gets the shipment it is about; null for goodwill on the order as a whole.</summary>
    public int? ShipmentNumber { get; init; }

    /// <summary>Gets the reason in words.</summary>
    public required string Reason { get; init; }

    /// <summary>Gets how the customer was made good.</summary>
    public required ReturnResolution Resolution { get; init; }

    /// <summary>Gets the caller's idempotency key it was settled under, if any: a retry with the same key finds it and settles nothing twice.</summary>
    public string? Reference { get; init; }

    /// <summary>Gets when it was recorded.</summary>
    public required Instant RecordedAt { get; init; }

    /// <summary>Returns the number, kind and resolution, such as <c>claim #1 LostInTransit (shipment #2): Replacement EUR 0.00 (ord_2)</c>.</summary>
    /// <returns>The claim as text.</returns>
    public override string ToString() => $"claim #{Number} {Kind}" + (ShipmentNumber is { } n ? $" (shipment #{n})" : string.Empty) + $": {Resolution}";
}
