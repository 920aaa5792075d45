namespace OrderKit.Orders;

/// <summary>The quantities of all lines of an order added up; the status follows from them.</summary>
internal readonly record struct OrderTotals(int Ordered, int Cancelled, int Allocated, int Backordered, int Shipped, int Delivered)
{
    public int Open => Ordered - Cancelled - Shipped;

    public int AwaitingAllocation => Open - Allocated - Backordered;

    public int InTransit => Shipped - Delivered;

    public static OrderTotals Of(IReadOnlyList<OrderLine> lines)
    {
        int ordered = 0, cancelled = 0, allocated = 0, backordered = 0, shipped = 0, delivered = 0;
        foreach (OrderLine line in lines)
        {
            ordered = checked(ordered + line.Ordered);
            cancelled += line.Cancelled;
            allocated += line.Allocated;
            backordered += line.Backordered;
            shipped += line.Shipped;
            delivered += line.Delivered;
        }

        return new(ordered, cancelled, allocated, backordered, shipped, delivered);
    }

    /// <summary>The status an order in <paramref name="current"/> has once its quantities are these.</summary>
    /// <remarks>Pending stays pending until confirmed; completion is an explicit act; everything else follows from the quantities.</remarks>
    public OrderStatus DeriveStatus(OrderStatus current)
    {
        if (Shipped == 0 && Open == 0)
        {
            return OrderStatus.Cancelled;
        }

        if (current is OrderStatus.Pending or OrderStatus.Completed)
        {
            return current;
        }

        if (Shipped == 0)
        {
            return Backordered > 0 ? OrderStatus.Backordered
                : AwaitingAllocation > 0 ? OrderStatus.Confirmed
                : OrderStatus.Allocated;
        }

        if (Open > 0)
        {
            return OrderStatus.PartiallyShipped;
        }

        return Delivered == Shipped ? OrderStatus.Delivered : OrderStatus.Shipped;
    }
}
