using NodaTime;
using OrderKit.Events;

namespace OrderKit.Orders;

public sealed partial class Order
{
    /// <summary>Gets the actions the order permits now, as a set of flags.</summary>
    /// <remarks>
    /// Answered from a table compiled once from the lifecycle definition; it costs a few nanoseconds and allocates
    /// nothing, so a back office can ask it for every order it shows. An action in the set can still be refused for
    /// its arguments (for example shipping more units than are allocated).
    /// </remarks>
    public OrderActions AllowedActions => OrderLifecycleDefinition.AllowedActions(_status, _paymentStatus, Conditions);

    /// <summary>Returns whether the order permits an action now.</summary>
    /// <param name="action">One action.</param>
    /// <returns>Whether <paramref name="action"/> is in <see cref="AllowedActions"/>.</returns>
    public bool Can(OrderActions action) => action != OrderActions.None && (AllowedActions & action) == action;

    /// <summary>Gets whether <see cref="Confirm"/> is permitted now.</summary>
    public bool CanConfirm => Can(OrderActions.Confirm);

    /// <summary>Gets whether <see cref="Allocate"/> is permitted now.</summary>
    public bool CanAllocate => Can(OrderActions.Allocate);

    /// <summary>Gets whether <see cref="Ship"/> is permitted now.</summary>
    public bool CanShip => Can(OrderActions.Ship);

    /// <summary>Gets whether <see cref="Deliver"/> is permitted now.</summary>
    public bool CanDeliver => Can(OrderActions.Deliver);

    /// <summary>Gets whether <see cref="Complete"/> is permitted now.</summary>
    public bool CanComplete => Can(OrderActions.Complete);

    /// <summary>Gets whether <see cref="Cancel"/> (the whole order) is permitted now.</summary>
    public bool CanCancel => Can(OrderActions.Cancel);

    /// <summary>Gets whether <see cref="CancelLine"/> (part of a line) is permitted now.</summary>
    public bool CanCancelLine => Can(OrderActions.CancelLine);

    /// <summary>Gets whether <see cref="Hold"/> is permitted now.</summary>
    public bool CanHold => Can(OrderActions.Hold);

    /// <summary>Gets whether <see cref="ReleaseHold"/> is permitted now.</summary>
    public bool CanReleaseHold => Can(OrderActions.ReleaseHold);

    // The stock conditions change only with the quantities, so they are kept beside the totals (see SetTotals) and
    // the allowed-actions query is a field read and a table lookup.
    private OrderCondition Conditions => _holds.Count == 0 ? _stockConditions | OrderCondition.NoActiveHold : _stockConditions;

    private static OrderCondition StockConditions(in OrderTotals totals)
    {
        OrderCondition conditions = OrderCondition.None;
        if (totals.AwaitingAllocation > 0 || totals.Backordered > 0)
        {
            conditions |= OrderCondition.HasUnitsAwaitingStock;
        }

        if (totals.Allocated > 0)
        {
            conditions |= OrderCondition.HasAllocatedUnits;
        }

        if (totals.InTransit > 0)
        {
            conditions |= OrderCondition.HasUnitsInTransit;
        }

        return conditions;
    }

    /// <summary>Sets the totals of the lines and the stock conditions that follow from them.</summary>
    private void SetTotals(in OrderTotals totals)
    {
        _totals = totals;
        _stockConditions = StockConditions(totals);
    }

    /// <summary>Throws, changing nothing, unless the order permits the action now.</summary>
    private void EnsureAllowed(OrderActions action)
    {
        OrderActions allowed = AllowedActions;
        if ((allowed & action) == 0)
        {
            throw new InvalidOrderTransitionException(
                Id,
                _status,
                action,
                allowed,
                OrderLifecycleDefinition.ExplainRefusal(action, _status, _paymentStatus, Conditions) + HoldsNote(action));
        }
    }

    private string HoldsNote(OrderActions action) =>
        _holds.Count > 0 && action is OrderActions.Allocate or OrderActions.Ship
            ? " (active: " + string.Join(", ", _holds) + ")"
            : string.Empty;

    /// <summary>
    /// Moves the status along the lifecycle. Call it after every check has passed and before the quantities change:
    /// the definition's guards are checked against the order as it was, and <paramref name="next"/>, the status the new
    /// quantities lead to, must be a destination the definition declares for the trigger.
    /// </summary>
    /// <remarks>
    /// The transition is checked on the tables compiled from the Stateless definition, which a test holds equal to
    /// firing the machine itself for every status, trigger, condition and destination: the same answer without a
    /// Stateless machine per thread, its allocations or its locking.
    /// </remarks>
    /// <returns>The status before the transition.</returns>
    private OrderStatus Fire(OrderTrigger trigger, OrderStatus next)
    {
        OrderStatus previous = _status;
        if (OrderLifecycleDefinition.CheckTransition(previous, trigger, Conditions, next) is { } reason)
        {
            // The checks before the transition and the definition disagree: a defect in OrderKit, never the caller's fault.
            throw new InvalidOperationException($"The order lifecycle refused to move order {Id} from {previous} to {next} on {trigger}: {reason}.");
        }

        _status = next;
        return previous;
    }

    private void RecordStatusChange(OrderStatus previous, Instant now)
    {
        if (previous != _status)
        {
            Record(new OrderStatusChanged(Id, NextSequence, now, previous, _status));
            if (_status == OrderStatus.Delivered)
            {
                _deliveredAt = now;
            }
        }
    }
}
