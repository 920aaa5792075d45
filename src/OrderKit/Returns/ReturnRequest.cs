using NodaTime;
using OrderKit.Fulfillment;

namespace OrderKit.Returns;

/// <summary>A return request (an RMA): units a customer sends back, from request to resolution.</summary>
/// <remarks>
/// <para>Return requests live inside their <see cref="Orders.Order"/> and change only through its actions
/// (<see cref="Orders.Order.RequestReturn"/>, <see cref="Orders.Order.AuthorizeReturn"/>,
/// <see cref="Orders.Order.ReceiveReturn"/>, …) or through <see cref="ReturnService"/>, which runs them as units of
/// work. Each change replaces the order's copy; a <see cref="ReturnRequest"/> in hand never changes.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed record ReturnRequest
{
    /// <summary>Gets the request's number within its order, starting at 1.</summary>
    public required int Number { get; init; }

    /// <summary>Gets where it stands.</summary>
    public required ReturnStatus Status { get; init; }

    /// <summary>Gets the units asked to be returned, one entry per SKU.</summary>
    public required IReadOnlyList<ReturnLine> Lines { get; init; }

    /// <summary>Gets when it was asked for.</summary>
    public required Instant RequestedAt { get; init; }

    /// <summary>Gets the reason staff gave to accept it after the return window; null when it was in time.</summary>
    public string? WindowOverride { get; init; }

    /// <summary>Gets the label the units travel back under, once there is one.</summary>
    public ShippingLabel? Label { get; init; }

    /// <summary>Gets what arrived, with each part's disposition; empty until received.</summary>
    public IReadOnlyList<ReturnReceipt> Receipts { get; init; } = [];

    /// <summary>Gets when the units arrived; null before.</summary>
    public Instant? ReceivedAt { get; init; }

    /// <summary>Gets the inspection's finding, once inspected.</summary>
    public string? Inspection { get; init; }

    /// <summary>Gets how it was made good, once resolved.</summary>
    public ReturnResolution? Resolution { get; init; }

    /// <summary>Gets why it was rejected or cancelled, if it was.</summary>
    public string? EndReason { get; init; }

    /// <summary>Gets the actions its status permits.</summary>
    public ReturnActions AllowedActions => ReturnLifecycle.AllowedActions(Status);

    /// <summary>Gets whether units are still expected back: requested, authorized or in transit.</summary>
    public bool IsAwaitingUnits => Status is ReturnStatus.Requested or ReturnStatus.Authorized or ReturnStatus.InTransit;

    /// <summary>Returns the units requested of a SKU.</summary>
    /// <param name="sku">The SKU.</param>
    /// <returns>The units, or 0.</returns>
    public int UnitsRequested(Sku sku)
    {
        foreach (ReturnLine line in Lines)
        {
            if (line.Sku == sku)
            {
                return line.Quantity.Value;
            }
        }

        return 0;
    }

    /// <summary>Returns the units of a SKU that arrived.</summary>
    /// <param name="sku">The SKU.</param>
    /// <returns>The units, or 0.</returns>
    public int UnitsReceived(Sku sku)
    {
        int units = 0;
        foreach (ReturnReceipt receipt in Receipts)
        {
            if (receipt.Sku == sku)
            {
                units += receipt.Quantity.Value;
            }
        }

        return units;
    }

    /// <summary>Returns the number, status and lines, such as <c>RMA #1 Received: 1 x PHONE-X (Defective)</c>.</summary>
    /// <returns>The request as text.</returns>
    public override string ToString() => $"RMA #{Number} {Status}: {string.Join(", ", Lines)}";
}
