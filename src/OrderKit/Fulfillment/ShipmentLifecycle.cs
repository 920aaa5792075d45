using OrderKit.Internal;
using Stateless;
using Stateless.Reflection;

namespace OrderKit.Fulfillment;

/// <summary>
/// The shipment status machine: defined once here, on Stateless, and compiled at start-up into the tables that answer
/// "what may I do with this shipment now?" and "where may this action take it?" without firing Stateless.
/// </summary>
internal static class ShipmentLifecycle
{
    /// <summary>The statuses a shipment reaches once handed to the carrier, whose moves follow its tracking.</summary>
    private static readonly ShipmentStatus[] s_tracked =
    [
        ShipmentStatus.Shipped, ShipmentStatus.InTransit, ShipmentStatus.OutForDelivery,
        ShipmentStatus.DeliveryException, ShipmentStatus.Delivered, ShipmentStatus.ReturnedToSender,
    ];

    // Declared after s_tracked, which building the machine reads.
    private static readonly ShipmentActions[] s_allowed = Compile();
    private static readonly int[] s_destinations = CompileDestinations();

    /// <summary>Returns the actions permitted in a status.</summary>
    public static ShipmentActions AllowedActions(ShipmentStatus status) =>
        (uint)status < (uint)s_allowed.Length ? s_allowed[(int)status] : ShipmentActions.None;

    /// <summary>Returns whether the definition takes a shipment in <paramref name="from"/> to <paramref name="next"/> on <paramref name="trigger"/>.</summary>
    public static bool Leads(ShipmentStatus from, ShipmentActions trigger, ShipmentStatus next) =>
        (uint)from < StatusCount && (LifecycleTable.Destinations(s_destinations, (int)from, (int)trigger) & (1 << (int)next)) != 0;

    /// <summary>Builds a machine over the given accessors. Callers keep it: building one costs microseconds.</summary>
    /// <param name="getStatus">Reads the status of the shipment being changed.</param>
    /// <param name="setStatus">Writes it.</param>
    /// <param name="nextStatus">Where a tracking update takes the shipment, decided before firing.</param>
    public static StateMachine<ShipmentStatus, ShipmentActions> Build(Func<ShipmentStatus> getStatus, Action<ShipmentStatus> setStatus, Func<ShipmentStatus> nextStatus)
    {
        var machine = new StateMachine<ShipmentStatus, ShipmentActions>(getStatus, setStatus, FiringMode.Immediate);
        const string ByTracking = "the tracking updates";

        machine.Configure(ShipmentStatus.Pending)
            .Permit(ShipmentActions.Pick, ShipmentStatus.Picking)
            .PermitReentry(ShipmentActions.Split)
            .PermitReentry(ShipmentActions.Move)
            .Permit(ShipmentActions.Cancel, ShipmentStatus.Cancelled);

        machine.Configure(ShipmentStatus.Picking)
            .PermitReentry(ShipmentActions.Pick)
            .Permit(ShipmentActions.Pack, ShipmentStatus.Packed)
            .PermitReentry(ShipmentActions.Split)
            .Permit(ShipmentActions.Move, ShipmentStatus.Pending)
            .Permit(ShipmentActions.Cancel, ShipmentStatus.Cancelled);

        machine.Configure(ShipmentStatus.Packed)
            .Permit(ShipmentActions.PurchaseLabel, ShipmentStatus.LabelPurchased)
            .Permit(ShipmentActions.Ship, ShipmentStatus.Shipped)
            .Permit(ShipmentActions.Cancel, ShipmentStatus.Cancelled);

        machine.Configure(ShipmentStatus.LabelPurchased)
            .Permit(ShipmentActions.VoidLabel, ShipmentStatus.Packed)
            .Permit(ShipmentActions.Ship, ShipmentStatus.Shipped)
            .Permit(ShipmentActions.Cancel, ShipmentStatus.Cancelled);

        foreach (ShipmentStatus status in s_tracked)
        {
            machine.Configure(status).PermitDynamic(ShipmentActions.Track, nextStatus, ByTracking, Destinations(status));
        }

        machine.Configure(ShipmentStatus.Cancelled);
        return machine;
    }

    private static DynamicStateInfos Destinations(ShipmentStatus from)
    {
        var infos = new DynamicStateInfos();
        foreach (ShipmentStatus to in s_tracked)
        {
            if (to != from && to != ShipmentStatus.Shipped)
            {
                infos.Add(to, "a tracking update says so");
            }
        }

        return infos;
    }

    private const int StatusCount = (int)ShipmentStatus.Cancelled + 1;

    private static ShipmentActions[] Compile()
    {
        ShipmentStatus state = ShipmentStatus.Pending;
        int[] masks = LifecycleTable.Compile(Build(() => state, s => state = s, () => state).GetInfo(), StatusCount);
        return [.. masks.Select(static m => (ShipmentActions)m)];
    }

    private static int[] CompileDestinations()
    {
        ShipmentStatus state = ShipmentStatus.Pending;
        return LifecycleTable.CompileDestinations(Build(() => state, s => state = s, () => state).GetInfo(), StatusCount);
    }
}
