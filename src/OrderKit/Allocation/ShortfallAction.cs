namespace OrderKit.Allocation;

/// <summary>What <see cref="Orders.OrderService.AllocateAsync"/> does with units a SKU's policy refuses when stock is short.</summary>
public enum ShortfallAction
{
    /// <summary>Place an out-of-stock hold on the order, so that staff decide; the units keep awaiting allocation.</summary>
    Hold = 0,

    /// <summary>Cancel the refused units; the rest of the order goes on.</summary>
    CancelUnits = 1,

    /// <summary>Leave the units awaiting allocation; allocate again later.</summary>
    LeaveAwaiting = 2,
}
