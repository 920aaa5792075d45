namespace OrderKit.Fulfillment;

/// <summary>What goes in the box with a shipment: who it is for, what is in it, and what follows later.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="ShipmentNumber">The shipment.</param>
/// <param name="ShipTo">The shipping address.</param>
/// <param name="Lines">The units in this shipment, per SKU.</param>
/// <param name="Parcels">The number of parcels.</param>
/// <param name="ToFollow">Units of the order not in this shipment and still open, per SKU: they come later.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record PackingSlip(OrderId OrderId, int ShipmentNumber, Address ShipTo, IReadOnlyList<Orders.LineQuantity> Lines, int Parcels, IReadOnlyList<Orders.LineQuantity> ToFollow);
