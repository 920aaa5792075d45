using NodaTime;

namespace OrderKit.Persistence;

/// <summary>An order line waiting for stock: its order, when the order was placed, and how many units wait.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="PlacedAt">When the order was placed; the backorder queue is first come, first served.</param>
/// <param name="Units">The line's backordered units; at least one.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public readonly record struct WaitingLine(OrderId OrderId, Instant PlacedAt, int Units);
