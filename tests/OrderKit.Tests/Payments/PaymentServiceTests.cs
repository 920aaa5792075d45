using OrderKit.Orders;
using OrderKit.Payments;
using OrderKit.Persistence;
using OrderKit.Testing;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Payments;

public sealed class PaymentServiceTests
{
    private static (OrderService Orders, PaymentService Payments, FakePaymentGateway Gateway) Shop(PaymentCapturePolicy capture = PaymentCapturePolicy.OnShipment)
    {
        var clock = NewClock();
        var store = new InMemoryOrderKitStore(clock);
        var options = new OrderKitOptions { PaymentCapture = capture };
        var gateway = new FakePaymentGateway();
        return (new OrderService(store, clock, options), new PaymentService(store, clock, options, gateway), gateway);
    }

    [Fact]
    public async Task Authorize_ConfirmsTheOrder_OrRecordsTheDecline()
    {
        var (orders, payments, gateway) = Shop();
        Order order = (await orders.PlaceAsync(TwoLineRequest())).Order;
        gateway.DeclineNext("card declined");
        order = await payments.AuthorizeAsync(order.Id);
        Assert.Equal((OrderStatus.Pending, PaymentStatus.Failed), (order.Status, order.PaymentStatus));

        order = await payments.AuthorizeAsync(order.Id);
        Assert.Equal((OrderStatus.Confirmed, PaymentStatus.Authorized, Eur(85m)), (order.Status, order.PaymentStatus, order.AuthorizedAmount));
        await Assert.ThrowsAsync<InvalidOrderTransitionException>(() => payments.AuthorizeAsync(order.Id));
    }

    [Fact]
    public async Task AtAuthorization_CapturesTheTotalAtOnce()
    {
        var (orders, payments, gateway) = Shop(PaymentCapturePolicy.AtAuthorization);
        Order order = (await orders.PlaceAsync(TwoLineRequest())).Order;
        order = await payments.AuthorizeAsync(order.Id);

        Assert.Equal((PaymentStatus.Captured, 85m), (order.PaymentStatus, gateway.MoneyOf(order.Id).Captured));
    }

    [Fact]
    public async Task Refund_RetriedWithTheSameKey_IsPaidOnce_AndAnotherAmountUnderItIsRefused()
    {
        var (orders, payments, gateway) = Shop(PaymentCapturePolicy.AtAuthorization);
        Order order = (await orders.PlaceAsync(TwoLineRequest())).Order;
        await payments.AuthorizeAsync(order.Id);

        (Order first, PaymentResult result) = await payments.RefundAsync(order.Id, Eur(10m), "rma-1");
        (Order again, PaymentResult replay) = await payments.RefundAsync(order.Id, Eur(10m), "rma-1");

        Assert.True(result.Succeeded && replay.Succeeded);
        Assert.Equal((Eur(10m), Eur(10m)), (first.RefundedAmount, again.RefundedAmount));
        Assert.Equal(10m, gateway.MoneyOf(order.Id).Refunded);
        await Assert.ThrowsAsync<IdempotencyKeyMismatchException>(() => payments.RefundAsync(order.Id, Eur(11m), "rma-1"));
        await Assert.ThrowsAsync<ArgumentException>(() => payments.RefundAsync(order.Id, Eur(100m), "rma-2"));
        Assert.Equal(10m, gateway.MoneyOf(order.Id).Refunded);
    }

    [Fact]
    public async Task Void_ReleasesWhatIsUncaptured()
    {
        var (orders, payments, gateway) = Shop();
        Order order = (await orders.PlaceAsync(TwoLineRequest())).Order;
        await payments.AuthorizeAsync(order.Id);
        order = await payments.VoidAsync(order.Id);

        Assert.Equal(PaymentStatus.Voided, order.PaymentStatus);
        Assert.Equal(0m, gateway.MoneyOf(order.Id).Authorized);
    }

    [Fact]
    public void Results_ReadWell_AndCheckTheirInput()
    {
        Assert.Equal("succeeded EUR 1.00 (tx)", PaymentResult.Success(Eur(1m), "tx").ToString());
        Assert.Equal("failed EUR 1.00: no", PaymentResult.Failure(Eur(1m), "no").ToString());
        Assert.Throws<ArgumentException>(() => PaymentResult.Success(Eur(-1m), "tx"));
        Assert.True(new PaymentGatewayException("down").IsTransient);
    }
}
