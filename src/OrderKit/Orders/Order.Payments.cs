using OrderKit.Events;
using OrderKit.Internal;

namespace OrderKit.Orders;

public sealed partial class Order
{
    /// <summary>Records that the payment failed; the order stays pending and can be confirmed with a new authorization.</summary>
    /// <param name="reason">Why, as the payment provider reported it.</param>
    /// <exception cref="InvalidOrderTransitionException">The payment is not pending.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is blank or too long.</exception>
    public void FailPayment(string reason)
    {
        EnsureAllowed(OrderActions.FailPayment);
        Required(reason, nameof(reason), MaxReasonLength);
        _paymentStatus = PaymentStatus.Failed;
        Record(new PaymentFailed(Id, NextSequence, Now, reason));
    }

    /// <summary>Records a capture of authorized money, typically for what has shipped.</summary>
    /// <param name="amount">The amount captured; positive, at most what is authorized and not yet captured.</param>
    /// <exception cref="InvalidOrderTransitionException">Nothing is authorized to capture, or the order is cancelled.</exception>
    /// <exception cref="ArgumentException">The amount is not positive, in another currency, or more than remains authorized.</exception>
    public void CapturePayment(Money amount)
    {
        EnsureAllowed(OrderActions.CapturePayment);
        CheckAmount(amount, nameof(amount), allowZero: false);
        Money remaining = _authorized - _captured;
        if (amount > remaining)
        {
            throw new ArgumentException($"Cannot capture {amount}: only {remaining} of the {_authorized} authorized remains uncaptured.", nameof(amount));
        }

        _captured += amount;
        _paymentStatus = _captured == _authorized ? PaymentStatus.Captured : PaymentStatus.PartiallyCaptured;
        Record(new PaymentCaptured(Id, NextSequence, Now, amount, _captured));
    }

    /// <summary>Releases the part of the authorization not captured.</summary>
    /// <remarks>With nothing captured the payment becomes <see cref="PaymentStatus.Voided"/>; after a partial capture it becomes <see cref="PaymentStatus.Captured"/>.</remarks>
    /// <exception cref="InvalidOrderTransitionException">Nothing is authorized and uncaptured.</exception>
    public void VoidPayment()
    {
        EnsureAllowed(OrderActions.VoidPayment);
        Money released = _authorized - _captured;
        _authorized = _captured;
        _paymentStatus = _captured.IsZero ? PaymentStatus.Voided : PaymentStatus.Captured;
        Record(new PaymentVoided(Id, NextSequence, Now, released));
    }

    /// <summary>Records a refund of captured money.</summary>
    /// <param name="amount">The amount refunded; positive, at most what was captured and not yet refunded.</param>
    /// <exception cref="InvalidOrderTransitionException">Nothing has been captured in full, or everything is refunded.</exception>
    /// <exception cref="ArgumentException">The amount is not positive, in another currency, or more than remains refundable.</exception>
    public void RefundPayment(Money amount)
    {
        EnsureAllowed(OrderActions.RefundPayment);
        CheckAmount(amount, nameof(amount), allowZero: false);
        Money refundable = _captured - _refunded;
        if (amount > refundable)
        {
            throw new ArgumentException($"Cannot refund {amount}: only {refundable} of the {_captured} captured remains refundable.", nameof(amount));
        }

        _refunded += amount;
        _paymentStatus = _refunded == _captured ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded;
        Record(new PaymentRefunded(Id, NextSequence, Now, amount, _refunded));
    }

    /// <summary>Gets what the shipped units are worth and has not been captured: what capturing on shipment takes next.</summary>
    /// <remarks>
    /// The shipped units' share of the <see cref="Total"/> (shipping charge and discount shared by line value), less
    /// what was captured, within what remains authorized. Worked out from the running totals, so the captures of
    /// all shipments add up to exactly the total once everything has shipped.
    /// </remarks>
    public Money UncapturedForShipped
    {
        get
        {
            Money zero = Money.Zero(Currency);
            if (_totals.Shipped == 0)
            {
                return zero;
            }

            Money shippedValue = zero;
            foreach (OrderLine line in _lines)
            {
                shippedValue += line.UnitPrice * line.Shipped;
            }

            Money due = Subtotal.IsZero ? Total : Total.Multiply(shippedValue.Amount / Subtotal.Amount, MidpointRounding.ToEven);
            Money uncaptured = due - _captured;
            Money remaining = _authorized - _captured;
            return uncaptured.IsNegative ? zero : uncaptured > remaining ? remaining : uncaptured;
        }
    }

    /// <summary>Records that the provider refused a capture; nothing else changes.</summary>
    internal void RecordCaptureFailed(Money amount, string reason) =>
        Record(new PaymentCaptureFailed(Id, NextSequence, Now, amount, Text.Required(reason, nameof(reason), MaxReasonLength)));

    private void CheckAmount(Money amount, string paramName, bool allowZero)
    {
        if (amount.IsDefault)
        {
            throw new ArgumentException($"{paramName} is required.", paramName);
        }

        if (amount.Currency != Currency)
        {
            throw new ArgumentException($"{paramName} is {amount}, but the order's currency is {Currency}.", paramName);
        }

        if (amount.IsNegative || (!allowZero && amount.IsZero))
        {
            throw new ArgumentException($"{paramName} must be {(allowZero ? "zero or more" : "positive")}; got {amount}.", paramName);
        }
    }
}
