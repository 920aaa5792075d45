namespace OrderKit.Orders;

/// <summary>The facts about an order that the lifecycle's guards test; each guard tests exactly one.</summary>
[Flags]
internal enum OrderCondition
{
    None = 0,
    NoActiveHold = 1 << 0,
    HasUnitsAwaitingStock = 1 << 1,
    HasAllocatedUnits = 1 << 2,
    HasUnitsInTransit = 1 << 3,
    All = NoActiveHold | HasUnitsAwaitingStock | HasAllocatedUnits | HasUnitsInTransit,
}
