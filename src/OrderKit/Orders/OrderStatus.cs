namespace OrderKit.Orders;

/// <summary>Where an order stands in its life, from placement to completion or cancellation.</summary>
/// <remarks>
/// <para>The status moves only along the transitions of the order lifecycle (see <c>docs/lifecycle.md</c>, generated
/// from the definition the code runs). From <see cref="Confirmed"/> on, the status follows from the quantities of
/// the lines: which units await stock, are allocated, backordered, shipped or delivered.</para>
/// <para>Holds and the payment status are separate axes: a held order keeps its status underneath.</para>
/// </remarks>
public enum OrderStatus
{
    /// <summary>Placed; the payment is not verified yet.</summary>
    Pending = 0,

    /// <summary>The payment is verified; some units still await allocation, none is backordered or shipped.</summary>
    Confirmed = 1,

    /// <summary>Every open unit has stock allocated; nothing has shipped yet.</summary>
    Allocated = 2,

    /// <summary>Some open units wait for stock (backordered); nothing has shipped yet.</summary>
    Backordered = 3,

    /// <summary>Some units have shipped and some are still open.</summary>
    PartiallyShipped = 4,

    /// <summary>Every unit not cancelled has shipped; not all have been delivered.</summary>
    Shipped = 5,

    /// <summary>Every unit not cancelled has been delivered.</summary>
    Delivered = 6,

    /// <summary>Closed after delivery; final.</summary>
    Completed = 7,

    /// <summary>Cancelled in full before anything shipped; final.</summary>
    Cancelled = 8,
}
