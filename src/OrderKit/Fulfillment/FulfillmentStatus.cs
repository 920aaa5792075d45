namespace OrderKit.Fulfillment;

/// <summary>How far an order's units have got towards the customer, an axis beside its status and payment status.</summary>
/// <remarks>It follows from the lines and the shipments; see <see cref="Orders.Order.FulfillmentStatus"/>.</remarks>
public enum FulfillmentStatus
{
    /// <summary>No unit has shipped and no shipment is being worked on.</summary>
    Unfulfilled = 0,

    /// <summary>No unit has shipped, but a shipment is being picked, packed or labelled.</summary>
    InProgress = 1,

    /// <summary>Some units have shipped and some are still open.</summary>
    PartiallyShipped = 2,

    /// <summary>Every unit not cancelled has shipped; none is delivered yet.</summary>
    Shipped = 3,

    /// <summary>Every unit not cancelled has shipped, and some of them are delivered.</summary>
    PartiallyDelivered = 4,

    /// <summary>Every unit not cancelled is delivered.</summary>
    Delivered = 5,

    /// <summary>Every unit was cancelled: there is nothing to fulfil.</summary>
    Cancelled = 6,
}
