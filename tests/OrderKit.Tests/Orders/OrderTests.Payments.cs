using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed partial class OrderTests
{
    [Fact]
    public void Payment_CaptureThenRefund_MovesAlongTheAxis()
    {
        Order order = PlaceTwoLineOrder();
        order.Confirm(order.Total);
        order.CapturePayment(Eur(25m));
        Assert.Equal(PaymentStatus.PartiallyCaptured, order.PaymentStatus);
        Assert.Contains("only EUR 60.00 of the EUR 85.00 authorized remains uncaptured", Assert.Throws<ArgumentException>(() => order.CapturePayment(Eur(61m))).Message, StringComparison.Ordinal);
        order.CapturePayment(Eur(60m));
        Assert.Equal(PaymentStatus.Captured, order.PaymentStatus);
        Assert.Throws<InvalidOrderTransitionException>(() => order.CapturePayment(Eur(1m)));
        order.RefundPayment(Eur(10m));
        Assert.Equal(PaymentStatus.PartiallyRefunded, order.PaymentStatus);
        Assert.Throws<ArgumentException>(() => order.RefundPayment(Eur(80m)));
        order.RefundPayment(Eur(75m));
        Assert.Equal(PaymentStatus.Refunded, order.PaymentStatus);
        Assert.Equal(Eur(85m), order.RefundedAmount);
    }

    [Fact]
    public void Payment_VoidAfterPartialCapture_LeavesItCaptured()
    {
        Order order = PlaceTwoLineOrder();
        order.Confirm(Eur(100m));
        order.CapturePayment(Eur(40m));
        order.VoidPayment();
        Assert.Equal(PaymentStatus.Captured, order.PaymentStatus);
        Assert.Equal(Eur(40m), order.AuthorizedAmount);

        Order other = PlaceTwoLineOrder();
        other.Confirm(other.Total);
        other.VoidPayment();
        Assert.Equal(PaymentStatus.Voided, other.PaymentStatus);
    }

    [Fact]
    public void Payment_FailedThenConfirmed()
    {
        Order order = PlaceTwoLineOrder();
        order.FailPayment("card declined");
        Assert.Equal(PaymentStatus.Failed, order.PaymentStatus);
        Assert.True(order.CanConfirm);
        order.Confirm(order.Total);
        Assert.Equal(PaymentStatus.Authorized, order.PaymentStatus);
    }

    [Fact]
    public void Confirm_AmountBelowTotalOrOtherCurrency_Throws()
    {
        Order order = PlaceTwoLineOrder();
        Assert.Contains("does not cover the order total EUR 85.00", Assert.Throws<ArgumentException>(() => order.Confirm(Eur(84.99m))).Message, StringComparison.Ordinal);
        Assert.Contains("but the order's currency is EUR", Assert.Throws<ArgumentException>(() => order.Confirm(new Money(85m, Currency.USD))).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOrderTransitionException>(() => order.CapturePayment(Eur(1m)));
        Assert.Equal(OrderStatus.Pending, order.Status);
    }
}
