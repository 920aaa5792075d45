using NodaTime;
using OrderKit.Orders;
using OrderKit.Returns;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Returns;

/// <summary>What a return is worth: line by line from what was paid, shared to the cent.</summary>
public sealed class RefundQuoteTests
{
    private static readonly LocationId A = ReturnRequestTests.A;

    /// <summary>Requests, authorizes and receives units (restocked at A); returns the request's number.</summary>
    private static int Receive(Order order, ReturnReason reason, params (Sku Sku, int Units)[] lines)
    {
        ReturnRequest request = order.RequestReturn([.. lines.Select(l => new ReturnLine(l.Sku, new Quantity(l.Units), reason, reason == ReturnReason.Other ? "other" : null))], new ReturnPolicy(), DateTimeZone.Utc, "test");
        order.AuthorizeReturn(request.Number);
        order.ReceiveReturn(request.Number, [.. lines.Select(l => new ReturnReceipt(l.Sku, new Quantity(l.Units), ReturnDisposition.Restock, A))]);
        return request.Number;
    }

    [Fact]
    public void APartialReturn_OfOneUnitOutOfTwo_RefundsOneUnit()
    {
        Order order = ReturnRequestTests.Delivered();
        int number = Receive(order, ReturnReason.Defective, (Mug, 1));

        RefundQuote quote = order.QuoteRefund(number, new ReturnPolicy());

        Assert.Equal([new RefundQuoteLine(Mug, 1, Eur(12.50m), ReturnReason.Defective)], quote.Lines);
        Assert.Equal((Eur(0m), Eur(0m), Eur(12.50m), Eur(85m)), (quote.Shipping, quote.RestockingFee, quote.Total, quote.Refundable));
    }

    [Fact]
    public void TheShopsFault_RefundsTheUnitsShareOfShipping_AndTheCustomersPaysAFee()
    {
        Order order = ReturnRequestTests.Delivered(shipping: Eur(4.90m));
        int defective = Receive(order, ReturnReason.Defective, (Mug, 1));
        int changedMind = Receive(order, ReturnReason.ChangedMind, (Tee, 1));
        var policy = new ReturnPolicy { RestockingFeeRate = 0.10m };

        // Shipping 4.90 over the lines by value (25.00 and 60.00): 1.44 and 3.46; the mug's 1.44 over two units: 0.72 each.
        RefundQuote fault = order.QuoteRefund(defective, policy);
        Assert.Equal((Eur(0.72m), Eur(0m), Eur(13.22m)), (fault.Shipping, fault.RestockingFee, fault.Total));

        RefundQuote mind = order.QuoteRefund(changedMind, policy);
        Assert.Equal((Eur(0m), Eur(2.00m), Eur(18.00m)), (mind.Shipping, mind.RestockingFee, mind.Total));
        Assert.Equal(Eur(0m), order.QuoteRefund(defective, new ReturnPolicy { RefundShippingOnShopFault = false }).Shipping);
    }

    [Fact]
    public void TwoReturns_OnOneLine_ShareItsDiscountedValueToTheCent()
    {
        // A 10.00 discount over 85.00 of lines: the mugs carry 2.94 of it, so the two mugs are worth 22.06, 11.03 each.
        Order order = ReturnRequestTests.Delivered(discount: Eur(10m));
        int first = Receive(order, ReturnReason.Defective, (Mug, 1));
        int second = Receive(order, ReturnReason.Defective, (Mug, 1));

        Money a = order.QuoteRefund(first, new ReturnPolicy()).Total;
        Money b = order.QuoteRefund(second, new ReturnPolicy()).Total;

        Assert.Equal(Eur(22.06m), a + b);
        Assert.Equal((Eur(11.03m), Eur(11.03m)), (a, b));
    }

    [Fact]
    public void TheTotal_IsCappedAtWhatRemainsRefundable()
    {
        Order order = ReturnRequestTests.Delivered();
        order.RefundPayment(Eur(80m));
        int number = Receive(order, ReturnReason.Defective, (Tee, 1));

        RefundQuote quote = order.QuoteRefund(number, new ReturnPolicy());

        Assert.Equal((Eur(5m), Eur(5m)), (quote.Total, quote.Refundable));
        Assert.Equal(Eur(20m), quote.Lines.Single().Amount);
    }

    [Fact]
    public void AQuote_NeedsUnitsReceived()
    {
        Order order = ReturnRequestTests.Delivered();
        order.RequestReturn([new ReturnLine(Mug, new Quantity(1), ReturnReason.Defective)], new ReturnPolicy(), DateTimeZone.Utc);

        Assert.Throws<InvalidOperationException>(() => order.QuoteRefund(1, new ReturnPolicy()));
        Assert.Throws<ArgumentException>(() => order.QuoteRefund(2, new ReturnPolicy()));
    }

    /// <summary>However the units come back, in however many returns, their parts add up to the lines less the discount, and (the shop at fault) the shipping charge, to the cent.</summary>
    [Property(MaxTest = 300)]
    public Property RefundParts_AlwaysSumExactly() =>
        Prop.ForAll(
            Arb.From(
                from discountCents in Gen.Choose(0, 8500)
                from shippingCents in Gen.Choose(0, 999)
                from chunks in Gen.ArrayOf(Gen.Choose(1, 3), 5)
                select (discountCents, shippingCents, chunks)),
            run =>
            {
                Order order = ReturnRequestTests.Delivered(discount: Money.FromMinorUnits(run.discountCents, Currency.EUR), shipping: Money.FromMinorUnits(run.shippingCents, Currency.EUR));
                var left = new Dictionary<Sku, int> { [Mug] = 2, [Tee] = 3 };
                Money lines = Eur(0m);
                Money shipping = Eur(0m);
                int k = 0;
                while (left.Values.Sum() > 0)
                {
                    Sku sku = left[Mug] > 0 && (k % 2 == 0 || left[Tee] == 0) ? Mug : Tee;
                    int units = Math.Min(left[sku], run.chunks[k++ % run.chunks.Length]);
                    left[sku] -= units;
                    RefundQuote quote = order.QuoteRefund(Receive(order, ReturnReason.Defective, (sku, units)), new ReturnPolicy());
                    lines += quote.Lines.Single().Amount;
                    shipping += quote.Shipping;
                }

                Assert.Equal(order.Subtotal - order.Discount, lines);
                Assert.Equal(order.ShippingCharge, shipping);
                return true;
            });
}
