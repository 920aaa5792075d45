using OrderKit.Events;

namespace OrderKit.Orders;

public sealed partial class Order
{
    /// <summary>Places a hold: until every hold is released, the order cannot be allocated or shipped.</summary>
    /// <remarks>
    /// An order can carry several holds, for different reasons or from different people; each is released on its
    /// own. The status underneath is kept, and the order can still be cancelled while held.
    /// </remarks>
    /// <param name="reason">Why the order is held.</param>
    /// <param name="placedBy">Who places the hold: a staff member, a service or a rule.</param>
    /// <param name="note">A free-text note; required for <see cref="HoldReason.Custom"/>.</param>
    /// <returns>The hold, with the number that releases it.</returns>
    /// <exception cref="InvalidOrderTransitionException">The order is shipped, delivered, completed or cancelled.</exception>
    /// <exception cref="ArgumentException">The reason is unknown, <paramref name="placedBy"/> is blank, or a custom hold has no note.</exception>
    public OrderHold Hold(HoldReason reason, string placedBy, string? note = null)
    {
        EnsureAllowed(OrderActions.Hold);
        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentException($"{nameof(reason)} {(int)reason} is not a known hold reason.", nameof(reason));
        }

        Required(placedBy, nameof(placedBy), MaxActorLength);
        if (reason == HoldReason.Custom && note is null)
        {
            throw new ArgumentException("A custom hold needs a note saying why.", nameof(note));
        }

        string? checkedNote = note is null ? null : Required(note, nameof(note), MaxReasonLength);
        var hold = new OrderHold(_nextHoldNumber, reason, placedBy, checkedNote, Now);
        _nextHoldNumber++;
        _holds.Add(hold);
        Record(new OrderHeld(Id, NextSequence, hold.PlacedAt, hold.Number, reason, placedBy, checkedNote));
        return hold;
    }

    /// <summary>Releases one hold; the order can be fulfilled again once no hold remains.</summary>
    /// <param name="holdNumber">The number of an active hold (<see cref="OrderHold.Number"/>).</param>
    /// <param name="releasedBy">Who releases it.</param>
    /// <exception cref="InvalidOrderTransitionException">The order has no active hold.</exception>
    /// <exception cref="ArgumentException">No active hold has that number, or <paramref name="releasedBy"/> is blank.</exception>
    public void ReleaseHold(int holdNumber, string releasedBy)
    {
        EnsureAllowed(OrderActions.ReleaseHold);
        Required(releasedBy, nameof(releasedBy), MaxActorLength);
        int index = _holds.FindIndex(h => h.Number == holdNumber);
        if (index < 0)
        {
            throw new ArgumentException($"Order {Id} has no active hold #{holdNumber}; active holds: {string.Join(", ", _holds)}.", nameof(holdNumber));
        }

        OrderHold hold = _holds[index];
        _holds.RemoveAt(index);
        Record(new HoldReleased(Id, NextSequence, Now, hold.Number, hold.Reason, releasedBy));
    }
}
