using OrderKit.Internal;
using Stateless;
using Stateless.Graph;
using Stateless.Reflection;

namespace OrderKit.Orders;

/// <summary>
/// The order status machine: defined once here, on Stateless, and compiled at start-up into the tables that answer
/// "what may I do now?" without asking Stateless.
/// </summary>
/// <remarks>
/// The machine keeps no state of its own: it reads and writes the status through the accessor it is built with, and
/// its guards and dynamic destinations read the order through delegates. <see cref="Order"/> keeps one machine per
/// thread pointed at the order being changed, so the definition is built once per thread, never once per order.
/// </remarks>
internal static class OrderLifecycleDefinition
{
    private const int StatusCount = (int)OrderStatus.Cancelled + 1;
    private const int PaymentStatusCount = (int)PaymentStatus.Failed + 1;
    private const int ConditionCombinations = (int)OrderCondition.All + 1;
    private const OrderCondition NotPermitted = (OrderCondition)(-1);

    private const OrderActions HoldableStatusActions = OrderActions.Hold;

    private static readonly StateMachineInfo s_info;
    private static readonly OrderCondition[] s_requirements;
    private static readonly int[] s_destinations;
    private static readonly OrderActions[] s_allowed;

#pragma warning disable CA1810 // The tables are compiled from the definition in one pass; field initialisers would read it three times.
    static OrderLifecycleDefinition()
#pragma warning restore CA1810
    {
        OrderStatus state = OrderStatus.Pending;
        StateMachine<OrderStatus, OrderTrigger> prototype = Build(() => state, s => state = s, () => state, _ => true);
        s_info = prototype.GetInfo();
        s_requirements = CompileRequirements(s_info);
        s_destinations = CompileDestinations(s_info);
        s_allowed = CompileAllowedActions(s_requirements);
    }

    /// <summary>Builds a status machine over the given accessors. Callers keep it: building one costs microseconds.</summary>
    /// <param name="getStatus">Reads the status of the order being changed.</param>
    /// <param name="setStatus">Writes the status of the order being changed.</param>
    /// <param name="nextStatus">The status the order's quantities lead to once the change is applied.</param>
    /// <param name="holds">Whether a condition holds for the order being changed, before the change.</param>
    public static StateMachine<OrderStatus, OrderTrigger> Build(
        Func<OrderStatus> getStatus,
        Action<OrderStatus> setStatus,
        Func<OrderStatus> nextStatus,
        Func<OrderCondition, bool> holds)
    {
        var machine = new StateMachine<OrderStatus, OrderTrigger>(getStatus, setStatus, FiringMode.Immediate);
        Tuple<Func<bool>, string> noHold = Guard(OrderCondition.NoActiveHold, holds);
        Tuple<Func<bool>, string> awaitingStock = Guard(OrderCondition.HasUnitsAwaitingStock, holds);
        Tuple<Func<bool>, string> allocated = Guard(OrderCondition.HasAllocatedUnits, holds);
        Tuple<Func<bool>, string> inTransit = Guard(OrderCondition.HasUnitsInTransit, holds);
        const string ByQuantities = "the line quantities";

        machine.Configure(OrderStatus.Pending)
            .Permit(OrderTrigger.Confirm, OrderStatus.Confirmed)
            .Permit(OrderTrigger.Cancel, OrderStatus.Cancelled)
            .PermitDynamic(OrderTrigger.CancelLine, nextStatus, ByQuantities, Destinations(
                (OrderStatus.Pending, "units remain open"),
                (OrderStatus.Cancelled, "no unit remains open")));

        machine.Configure(OrderStatus.Confirmed)
            .PermitDynamicIf(OrderTrigger.Allocate, nextStatus, ByQuantities, Destinations(
                (OrderStatus.Confirmed, "some units still await allocation"),
                (OrderStatus.Allocated, "every open unit is allocated"),
                (OrderStatus.Backordered, "some units are backordered")), noHold, awaitingStock)
            .PermitReentryIf(OrderTrigger.Deallocate, allocated)
            .PermitIf(OrderTrigger.Ship, OrderStatus.PartiallyShipped, noHold, allocated)
            .Permit(OrderTrigger.Cancel, OrderStatus.Cancelled)
            .PermitDynamic(OrderTrigger.CancelLine, nextStatus, ByQuantities, Destinations(
                (OrderStatus.Confirmed, "some units still await allocation"),
                (OrderStatus.Allocated, "every open unit is allocated"),
                (OrderStatus.Cancelled, "no unit remains open")));

        machine.Configure(OrderStatus.Allocated)
            .PermitIf(OrderTrigger.Deallocate, OrderStatus.Confirmed, allocated)
            .PermitDynamicIf(OrderTrigger.Ship, nextStatus, ByQuantities, Destinations(
                (OrderStatus.PartiallyShipped, "units remain open"),
                (OrderStatus.Shipped, "every open unit shipped")), noHold, allocated)
            .Permit(OrderTrigger.Cancel, OrderStatus.Cancelled)
            .PermitDynamic(OrderTrigger.CancelLine, nextStatus, ByQuantities, Destinations(
                (OrderStatus.Allocated, "units remain open"),
                (OrderStatus.Cancelled, "no unit remains open")));

        machine.Configure(OrderStatus.Backordered)
            .PermitDynamicIf(OrderTrigger.Allocate, nextStatus, ByQuantities, Destinations(
                (OrderStatus.Backordered, "some units are still backordered"),
                (OrderStatus.Allocated, "every open unit is allocated"),
                (OrderStatus.Confirmed, "no unit is backordered, some await allocation")), noHold, awaitingStock)
            .PermitReentryIf(OrderTrigger.Deallocate, allocated)
            .PermitIf(OrderTrigger.Ship, OrderStatus.PartiallyShipped, noHold, allocated)
            .Permit(OrderTrigger.Cancel, OrderStatus.Cancelled)
            .PermitDynamic(OrderTrigger.CancelLine, nextStatus, ByQuantities, Destinations(
                (OrderStatus.Backordered, "some units are still backordered"),
                (OrderStatus.Allocated, "every open unit is allocated"),
                (OrderStatus.Confirmed, "no unit is backordered, some await allocation"),
                (OrderStatus.Cancelled, "no unit remains open")));

        machine.Configure(OrderStatus.PartiallyShipped)
            .PermitReentryIf(OrderTrigger.Allocate, noHold, awaitingStock)
            .PermitReentryIf(OrderTrigger.Deallocate, allocated)
            .PermitDynamicIf(OrderTrigger.Ship, nextStatus, ByQuantities, Destinations(
                (OrderStatus.PartiallyShipped, "units remain open"),
                (OrderStatus.Shipped, "every open unit shipped")), noHold, allocated)
            .PermitReentryIf(OrderTrigger.Deliver, inTransit)
            .PermitDynamic(OrderTrigger.CancelLine, nextStatus, ByQuantities, Destinations(
                (OrderStatus.PartiallyShipped, "units remain open"),
                (OrderStatus.Shipped, "no unit remains open, some are in transit"),
                (OrderStatus.Delivered, "no unit remains open, all shipped units delivered")));

        machine.Configure(OrderStatus.Shipped)
            .PermitDynamicIf(OrderTrigger.Deliver, nextStatus, ByQuantities, Destinations(
                (OrderStatus.Shipped, "some units are still in transit"),
                (OrderStatus.Delivered, "every shipped unit is delivered")), inTransit);

        machine.Configure(OrderStatus.Delivered)
            .Permit(OrderTrigger.Complete, OrderStatus.Completed);

        machine.Configure(OrderStatus.Completed);
        machine.Configure(OrderStatus.Cancelled);
        return machine;
    }

    /// <summary>Gets the lifecycle as a Mermaid state diagram, generated from the definition above.</summary>
    public static string ToMermaid() => MermaidGraph.Format(s_info);

    /// <summary>Gets the actions permitted for an order with this status, payment status and conditions.</summary>
    public static OrderActions AllowedActions(OrderStatus status, PaymentStatus payment, OrderCondition conditions) =>
        s_allowed[Index(status, payment, conditions)];

    /// <summary>Gets the conditions a trigger requires in a status, or null when the status does not permit it at all.</summary>
    public static OrderCondition? Requirements(OrderStatus status, OrderTrigger trigger)
    {
        OrderCondition required = s_requirements[((int)status * TriggerCount) + (int)trigger];
        return required == NotPermitted ? null : required;
    }

    /// <summary>
    /// Checks one transition against the compiled definition, as firing the trigger through Stateless would: the status
    /// permits the trigger, the conditions meet its guards, and the definition leads to <paramref name="next"/> (the
    /// fixed destination, or one of the destinations a dynamic transition declares).
    /// </summary>
    /// <returns>Null when the transition is the definition's; otherwise why it is not, for a defect report.</returns>
    public static string? CheckTransition(OrderStatus status, OrderTrigger trigger, OrderCondition conditions, OrderStatus next)
    {
        int cell = ((int)status * TriggerCount) + (int)trigger;
        OrderCondition required = s_requirements[cell];
        if (required == NotPermitted)
        {
            return $"status {status} does not permit {trigger}";
        }

        if ((required & conditions) != required)
        {
            return $"{trigger} requires that {string.Join(" and ", DescribeEach(required & ~conditions))}";
        }

        return (s_destinations[cell] & (1 << (int)next)) == 0
            ? $"{trigger} from {status} never leads to {next}"
            : null;
    }

    /// <summary>Says in words why an action is refused, for <see cref="InvalidOrderTransitionException"/>.</summary>
    public static string ExplainRefusal(OrderActions action, OrderStatus status, PaymentStatus payment, OrderCondition conditions)
    {
        if (TryGetTrigger(action, out OrderTrigger trigger))
        {
            OrderCondition? required = Requirements(status, trigger);
            if (required is null)
            {
                return $"{action} is not possible in status {status}";
            }

            OrderCondition unmet = required.Value & ~conditions;
            if (unmet != OrderCondition.None)
            {
                return $"{action} requires that {string.Join(" and ", DescribeEach(unmet))}";
            }

            return $"{action} is not possible with payment status {payment}";
        }

        return action switch
        {
            OrderActions.Hold => $"a hold cannot be placed in status {status}",
            OrderActions.ReleaseHold => "no hold is active",
            _ => status == OrderStatus.Cancelled && payment is PaymentStatus.Authorized or PaymentStatus.PartiallyCaptured or PaymentStatus.Pending
                ? $"{action} is not possible on a cancelled order"
                : $"{action} is not possible with payment status {payment}",
        };
    }

    /// <summary>Gets the sentence a guard of the definition uses for a condition.</summary>
    public static string Describe(OrderCondition condition) => condition switch
    {
        OrderCondition.NoActiveHold => "no hold is active",
        OrderCondition.HasUnitsAwaitingStock => "some units await stock",
        OrderCondition.HasAllocatedUnits => "some units have stock allocated",
        OrderCondition.HasUnitsInTransit => "some shipped units are not yet delivered",
        _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, "Not a single condition."),
    };

    /// <summary>Maps an action to the status trigger it fires, when it fires one.</summary>
    public static bool TryGetTrigger(OrderActions action, out OrderTrigger trigger)
    {
        (bool found, trigger) = action switch
        {
            OrderActions.Confirm => (true, OrderTrigger.Confirm),
            OrderActions.Allocate => (true, OrderTrigger.Allocate),
            OrderActions.Deallocate => (true, OrderTrigger.Deallocate),
            OrderActions.Ship => (true, OrderTrigger.Ship),
            OrderActions.Deliver => (true, OrderTrigger.Deliver),
            OrderActions.Complete => (true, OrderTrigger.Complete),
            OrderActions.Cancel => (true, OrderTrigger.Cancel),
            OrderActions.CancelLine => (true, OrderTrigger.CancelLine),
            _ => (false, default),
        };
        return found;
    }

    private static int TriggerCount => (int)OrderTrigger.CancelLine + 1;

    private static int Index(OrderStatus status, PaymentStatus payment, OrderCondition conditions) =>
        ((((int)status * PaymentStatusCount) + (int)payment) * ConditionCombinations) + (int)conditions;

    private static IEnumerable<string> DescribeEach(OrderCondition conditions)
    {
        for (int bit = 1; bit <= (int)OrderCondition.All; bit <<= 1)
        {
            if (((int)conditions & bit) != 0)
            {
                yield return Describe((OrderCondition)bit);
            }
        }
    }

    private static Tuple<Func<bool>, string> Guard(OrderCondition condition, Func<OrderCondition, bool> holds) =>
        Tuple.Create<Func<bool>, string>(() => holds(condition), Describe(condition));

    private static DynamicStateInfos Destinations(params (OrderStatus Status, string When)[] destinations)
    {
        var infos = new DynamicStateInfos();
        foreach ((OrderStatus status, string when) in destinations)
        {
            infos.Add(status, when);
        }

        return infos;
    }

    private static OrderCondition[] CompileRequirements(StateMachineInfo info)
    {
        var requirements = new OrderCondition[StatusCount * TriggerCount];
        Array.Fill(requirements, NotPermitted);
        foreach (StateInfo state in info.States)
        {
            var status = (OrderStatus)state.UnderlyingState;
            foreach (TransitionInfo transition in state.Transitions)
            {
                var trigger = (OrderTrigger)transition.Trigger.UnderlyingTrigger;
                OrderCondition required = OrderCondition.None;
                foreach (InvocationInfo guard in transition.GuardConditionsMethodDescriptions)
                {
                    required |= ConditionDescribedAs(guard.Description);
                }

                requirements[((int)status * TriggerCount) + (int)trigger] = required;
            }
        }

        return requirements;
    }

    /// <summary>
    /// Compiles, per status and trigger, the set of statuses the definition may lead to: one bit for a fixed (or
    /// re-entry) transition, the declared destinations for a dynamic one.
    /// </summary>
    /// <remarks>
    /// Orders change status through these tables, not by firing a Stateless machine; the guards are checked on the
    /// requirements table beside them. A definition the tables could not follow exactly (entry, exit or activation
    /// actions, substates, internal transitions) is refused here, at start-up, rather than being followed only in part.
    /// </remarks>
    private static int[] CompileDestinations(StateMachineInfo info) =>
        LifecycleTable.CompileDestinations(info, StatusCount, TriggerCount, static trigger => trigger, guarded: true);

    private static OrderCondition ConditionDescribedAs(string description)
    {
        for (int bit = 1; bit <= (int)OrderCondition.All; bit <<= 1)
        {
            if (Describe((OrderCondition)bit) == description)
            {
                return (OrderCondition)bit;
            }
        }

        throw new InvalidOperationException($"The order lifecycle has a guard \"{description}\" that names no known condition.");
    }

    private static OrderActions[] CompileAllowedActions(OrderCondition[] requirements)
    {
        var allowed = new OrderActions[StatusCount * PaymentStatusCount * ConditionCombinations];
        for (int s = 0; s < StatusCount; s++)
        {
            for (int p = 0; p < PaymentStatusCount; p++)
            {
                for (int c = 0; c < ConditionCombinations; c++)
                {
                    var status = (OrderStatus)s;
                    var payment = (PaymentStatus)p;
                    var conditions = (OrderCondition)c;
                    OrderActions actions = OrderActions.None;
                    for (int t = 0; t < TriggerCount; t++)
                    {
                        OrderCondition required = requirements[(s * TriggerCount) + t];
                        if (required != NotPermitted && (required & conditions) == required)
                        {
                            actions |= ActionOf((OrderTrigger)t);
                        }
                    }

                    if (payment is not (PaymentStatus.Pending or PaymentStatus.Failed))
                    {
                        actions &= ~OrderActions.Confirm;
                    }

                    if (status is OrderStatus.Pending or OrderStatus.Confirmed or OrderStatus.Allocated or OrderStatus.Backordered or OrderStatus.PartiallyShipped)
                    {
                        actions |= HoldableStatusActions;
                    }

                    if ((conditions & OrderCondition.NoActiveHold) == 0)
                    {
                        actions |= OrderActions.ReleaseHold;
                    }

                    actions |= PaymentActions(status, payment);
                    allowed[Index(status, payment, conditions)] = actions;
                }
            }
        }

        return allowed;
    }

    private static OrderActions PaymentActions(OrderStatus status, PaymentStatus payment)
    {
        OrderActions actions = payment switch
        {
            PaymentStatus.Pending => OrderActions.FailPayment,
            PaymentStatus.Authorized or PaymentStatus.PartiallyCaptured => OrderActions.CapturePayment | OrderActions.VoidPayment,
            PaymentStatus.Captured or PaymentStatus.PartiallyRefunded => OrderActions.RefundPayment,
            _ => OrderActions.None,
        };

        // A cancelled order takes no new money; releasing and returning money stay possible.
        return status == OrderStatus.Cancelled ? actions & ~(OrderActions.FailPayment | OrderActions.CapturePayment) : actions;
    }

    private static OrderActions ActionOf(OrderTrigger trigger) => trigger switch
    {
        OrderTrigger.Confirm => OrderActions.Confirm,
        OrderTrigger.Allocate => OrderActions.Allocate,
        OrderTrigger.Deallocate => OrderActions.Deallocate,
        OrderTrigger.Ship => OrderActions.Ship,
        OrderTrigger.Deliver => OrderActions.Deliver,
        OrderTrigger.Complete => OrderActions.Complete,
        OrderTrigger.Cancel => OrderActions.Cancel,
        OrderTrigger.CancelLine => OrderActions.CancelLine,
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, null),
    };
}
